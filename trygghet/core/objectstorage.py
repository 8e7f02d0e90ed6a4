"""Uploaded photos in S3-compatible object storage (django-storages), configured from the
environment; settings.py reads it before Django is set up, so nothing here imports Django.

Every app server then sees every upload. The photos stay private all the same: no page links
to the bucket, the views that check who asks read a photo and send it (trygghet/core/photos.py).
"""

from __future__ import annotations

from environ import Env


def s3_storage(env: Env) -> dict | None:
    """The upload storage S3_BUCKET and its companions describe, or None without a bucket.
    Without S3_ACCESS_KEY_ID the keys come from boto3's own places (its environment variables,
    an instance role)."""
    if not (bucket := env("S3_BUCKET", default="")):
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "addressing_style": env("S3_ADDRESSING_STYLE", default=None),
            "location": env("S3_PREFIX", default=""),
            # A name taken is never overwritten: a new upload gets a new name.
            "file_overwrite": False,
        },
    }
