"""Photo upload rules shared by incidents and property checks.

Only images are accepted (checked by decoding them, not by their name), within a size limit, and
every photo is re-encoded from its pixels alone: EXIF holds the phone's GPS position and model,
and a JPEG comment, XMP, IPTC, an ICC profile's text or a PNG text chunk can hold anything at all.
The orientation is kept by turning the pixels.
Photos are kept in the upload storage (MEDIA_ROOT, or an S3 bucket, see objectstorage.py),
never served as it is: each app serves them through a view that checks who is asking
(private_file_response), reading the file from whichever storage it is.
"""

from __future__ import annotations

import io
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# A phone photo is a few megapixels; far more is a decompression bomb, not a photo.
MAX_PIXELS = 40_000_000
# What an image's info may keep: which palette entry is transparent is part of the pixels.
PIXEL_INFO = ("transparency",)


def max_photo_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def clean_photo(upload) -> ContentFile:
    """Validate an uploaded image and return it re-encoded without metadata, with a random name."""
    if upload.size > max_photo_bytes():
        raise ValidationError(
            _("The photo is too large (at most %(mb)d MB)."),
            code="too_large",
            params={"mb": max_photo_bytes() // (1024 * 1024)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        if kind not in FORMATS:
            raise ValidationError(
                _("Only JPEG, PNG and WebP photos can be uploaded."), code="format"
            )
        upload.seek(0)
        image: Image.Image  # the opened file, then the turned and converted copies
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="too_many_pixels")
            # Turn the pixels as the camera meant, since the orientation tag goes with the EXIF.
            image = ImageOps.exif_transpose(image)
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            pixels_only(image).save(out, format=kind, **({"quality": 85} if kind != "PNG" else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not an image."), code="not_image") from error
    extension = FORMATS[kind][0]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def pixels_only(image: Image.Image) -> Image.Image:
    """A copy with the pixels and nothing else: Pillow writes what an image's info holds
    (a JPEG's comment, an ICC profile, XMP) into the file it saves."""
    clean = image.copy()
    clean.info = {key: image.info[key] for key in PIXEL_INFO if key in image.info}
    return clean


class PhotoField(forms.ImageField):
    """An optional photo field with the rules above; cleaned_data holds the re-encoded file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return clean_photo(upload) if upload else upload


def private_file_response(field_file) -> FileResponse:
    """Serve a stored upload to someone the calling view has already checked."""
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (mime for ext, mime in FORMATS.values() if ext == extension), "application/octet-stream"
    )
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
