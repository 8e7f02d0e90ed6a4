import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

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


MARKER = b"GPS 59.6101N 16.5401E owner Anna Andersson"


def jpeg_segments(data: bytes) -> list[bytes]:
    """The markers of a JPEG's segments up to the image data (SOS)."""
    assert data[:2] == b"\xff\xd8"
    position, markers = 2, []
    while data[position + 1] != 0xDA:
        marker = data[position : position + 2]
        markers.append(marker)
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    position, chunks = 8, []
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    position, chunks = 12, []
    while position < len(data):
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        chunks.append(data[position : position + 4])
        position += 8 + length + length % 2
    return chunks


def with_iptc(jpeg: bytes) -> bytes:
    """An APP13 Photoshop segment with an IPTC caption, right after the start of the image."""
    iptc = b"\x1c\x02\x78" + len(MARKER).to_bytes(2, "big") + MARKER
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def crafted_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = MARKER.decode()  # ImageDescription
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        out,
        format="JPEG",
        exif=exif,
        comment=MARKER,
        icc_profile=b"\0" * 128 + MARKER,
        xmp=b"<x:xmpmeta><dc:creator>" + MARKER + b"</dc:creator></x:xmpmeta>",
    )
    return with_iptc(out.getvalue())


def crafted_png(mode: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKER.decode())
    info.add_text("Author", MARKER.decode(), zip=True)
    info.add_itxt("Description", MARKER.decode(), lang="sv")
    exif = Image.Exif()
    exif[0x010E] = MARKER.decode()
    out = io.BytesIO()
    image = Image.new(mode, (40, 30), "red" if mode != "P" else 1)
    image.save(out, format="PNG", pnginfo=info, exif=exif, icc_profile=b"\0" * 128 + MARKER)
    return out.getvalue()


def crafted_webp() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = MARKER.decode()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        out,
        format="WEBP",
        exif=exif,
        icc_profile=b"\0" * 128 + MARKER,
        xmp=b"<x:xmpmeta>" + MARKER + b"</x:xmpmeta>",
    )
    return out.getvalue()


def cleaned(data: bytes, name: str) -> bytes:
    return clean_photo(SimpleUploadedFile(name, data)).read()


def test_a_jpeg_keeps_nothing_but_its_pixels_and_orientation():
    original = crafted_jpeg()
    # Every kind of metadata is in the upload: EXIF/XMP (APP1), ICC (APP2), IPTC (APP13), COM.
    assert {b"\xff\xe1", b"\xff\xe2", b"\xff\xed", b"\xff\xfe"} <= set(jpeg_segments(original))
    data = cleaned(original, "x.jpg")
    assert MARKER not in data
    assert set(jpeg_segments(data)) <= {b"\xff\xe0", b"\xff\xdb", b"\xff\xc0", b"\xff\xc4"}
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (30, 40)
        assert not image.getexif()
        assert not {"comment", "icc_profile", "xmp", "exif"} & set(image.info)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P", "L"])
def test_a_png_keeps_nothing_but_its_pixels(mode):
    original = crafted_png(mode)
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunks(original))
    data = cleaned(original, "x.png")
    assert MARKER not in data
    assert set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (40, 30)
        assert image.mode == mode
        assert not image.text


def test_a_palette_png_keeps_its_transparency():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 0, 0, 0, 255, 0])
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)

    with Image.open(io.BytesIO(cleaned(out.getvalue(), "x.png"))) as image:
        assert image.convert("RGBA").getpixel((0, 0))[3] == 0


def test_a_webp_keeps_nothing_but_its_pixels():
    original = crafted_webp()
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(webp_chunks(original))
    data = cleaned(original, "x.webp")
    assert MARKER not in data
    assert set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
