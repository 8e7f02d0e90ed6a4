"""Photos in S3-compatible object storage when S3_BUCKET is set, tested against a local S3
server: uploads go to the bucket (not the local disk), are served only through the views that
check who asks, and no page or answer names the bucket."""

import io
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from incidents.models import IncidentPhoto
from tests.databases import new_database
from tests.incidents.factories import IncidentFactory
from tests.incidents.test_api import incident_payload
from tests.patrols.factories import make_shift
from tests.s3 import keys_in, new_bucket, s3_client, s3_endpoint  # noqa: F401 (a fixture)
from trygghet.core.objectstorage import s3_storage

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):  # noqa: F811
    """The settings S3_BUCKET and its companions make, pointing at a new bucket."""
    environment = new_bucket(s3_endpoint)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ.Env())}
    return environment


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    out.name = "p.png"
    out.seek(0)
    return out


def test_without_a_bucket_photos_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert s3_storage(environ.Env()) is None


def test_an_uploaded_photo_is_kept_in_the_bucket_and_served_only_after_the_check(
    bucket, client_as, persona, settings, partner_sees_everywhere
):
    make_shift(hosts=[persona("host")], active=True)
    response = client_as("host").post("/api/v1/incidents/", incident_payload(photos=[png()]))
    assert response.status_code == 201
    assert bucket["S3_ENDPOINT_URL"] not in json.dumps(response.json())

    photo = IncidentPhoto.objects.get()
    assert keys_in(bucket["S3_ENDPOINT_URL"], bucket["S3_BUCKET"]) == [photo.image.name]
    assert not settings.MEDIA_ROOT.exists()

    url = urlsplit(response.json()["photos"][0]).path
    served = client_as("chief").get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    page = client_as("chief").get(f"/incidents/{photo.incident_id}/").content.decode()
    assert url in page
    assert bucket["S3_ENDPOINT_URL"] not in page
    assert client_as("partner").get(url).status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_takes_the_photos_from_the_bucket_and_restores_them_into_another(
    bucket, persona, tmp_path
):
    host = persona("host")
    incident = IncidentFactory(reported_by=host, shift=make_shift(hosts=[host], active=True))
    photo = IncidentPhoto.objects.create(
        incident=incident, image=ContentFile(b"photo bytes", "a.jpg"), uploaded_by=host
    )
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert [entry["name"] for entry in manifest["photos"]] == [photo.image.name]

    other = new_bucket(bucket["S3_ENDPOINT_URL"])
    with new_database("trygghet_restore") as url:
        done = subprocess.run(
            [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
            cwd=ROOT,
            env={**os.environ, **other, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    stored = s3_client(other["S3_ENDPOINT_URL"]).get_object(
        Bucket=other["S3_BUCKET"], Key=photo.image.name
    )
    assert stored["Body"].read() == b"photo bytes"
