import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygghet.core.photos import clean_photo


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90°
    exif.get_ifd(0x8825)[2] = (59.0, 36.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_metadata_is_stripped_and_orientation_applied():
    cleaned = clean_photo(SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps()))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert not image.getexif()
        assert image.size == (30, 40)
    assert cleaned.name.endswith(".jpg")
    assert "IMG_0001" not in cleaned.name


def test_not_an_image_is_refused():
    with pytest.raises(ValidationError, match="inte en bild"):
        clean_photo(SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image"))


def test_other_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        clean_photo(SimpleUploadedFile("x.gif", out.getvalue()))


def test_too_large_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="för stor"):
        clean_photo(SimpleUploadedFile("x.jpg", jpeg_with_gps()))
