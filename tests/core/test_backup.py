"""`manage.py backup DIR` and `manage.py restore DIR`: a round trip into a new, empty database
on the same server, compared by row counts and photo checksums."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from incidents.models import IncidentPhoto
from properties.models import DeviationPhoto
from tests.databases import new_database
from tests.incidents.factories import IncidentFactory
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check
from trygghet.core import backup

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def photos(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], active=True)
    incident = IncidentFactory(reported_by=host, shift=shift)
    made = [
        IncidentPhoto.objects.create(
            incident=incident, image=ContentFile(os.urandom(5000), "a.jpg"), uploaded_by=host
        ),
        IncidentPhoto.objects.create(
            incident=incident, image=ContentFile(os.urandom(7000), "b.jpg"), uploaded_by=host
        ),
    ]
    deviation = check(PropertyFactory(), host, failed=["locked"]).deviation
    made.append(
        DeviationPhoto.objects.create(deviation=deviation, image=ContentFile(b"png", "c.png"))
    )
    return {photo.image.name: stored_sha256(photo.image.name) for photo in made}


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as stored:
        return sha256(stored.read())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manage(url: str, media: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
    )


def tables(url: str) -> list[str]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return [row[0] for row in conn.execute(query)]


def counts(url: str) -> dict[str, int]:
    """Row counts of every table but the cache's, whose rows a backup leaves out."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
            for table in tables(url)
            if table != "trygghet_cache"
        }


def test_a_backup_restores_into_a_new_database_with_every_row_and_photo(photos, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=StringIO())

    manifest = json.loads((folder / "manifest.json").read_text())
    assert {photo["name"]: photo["sha256"] for photo in manifest["photos"]} == photos
    assert manifest["tables"]["incidents_incidentphoto"] == 2
    assert manifest["app_version"] and manifest["created"]

    media = tmp_path / "restored-media"
    with new_database("trygghet_restore") as url:
        done = manage(url, media, "restore", str(folder))
        assert done.returncode == 0, done.stderr
        assert counts(url) == manifest["tables"] == backup.row_counts()
        # The app runs on it as it is: every migration is there, the cache table too.
        assert manage(url, media, "migrate", "--check").returncode == 0
        assert "trygghet_cache" in tables(url)
        assert {name: sha256((media / name).read_bytes()) for name in photos} == photos


def test_restore_refuses_a_database_that_is_not_empty(photos, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(tmp_path / "backup"))


def test_restore_refuses_a_photo_that_differs_from_the_manifest(photos, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=StringIO())
    (folder / "photos" / next(iter(photos))).write_bytes(b"changed")
    with new_database("trygghet_restore") as url:
        done = manage(url, tmp_path / "restored-media", "restore", str(folder))
        assert done.returncode != 0
        assert "differs from the manifest" in done.stderr
        assert counts(url) == {}


def test_a_backup_needs_a_folder_of_its_own(db, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_an_interrupted_backup_is_not_restored(tmp_path):
    with pytest.raises(CommandError, match="has no manifest.json"):
        backup.read_manifest(tmp_path)


def test_a_pg_dump_older_than_the_server_is_refused(db, monkeypatch):
    monkeypatch.setattr(backup, "_major", lambda path: 15)
    with pytest.raises(CommandError, match="must be of that version or newer"):
        backup.client_program("pg_dump")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_the_backup_units_are_valid_systemd_units():
    units = [ROOT / "deploy" / "trygghet-backup.service", ROOT / "deploy" / "trygghet-backup.timer"]
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
