"""`make bench-backup`: how long `manage.py backup` and `manage.py restore` take, and how large a
backup is, on the database `make bench` uses (demo_data --incidents N, N from BENCH_INCIDENTS,
default 1 000 000, kept between runs).

The demo data has no photos; BENCH_PHOTOS (default 1 000) files of 300 KB of random bytes (which,
like JPEG, do not compress) stand in for them, in an upload folder of their own. The backup goes
to bench/out/backup, and is restored into a new, empty database beside the bench database (dropped
afterwards) and an upload folder of its own. It prints `name=value` lines and appends a dated
table to bench/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import OUT, PYTHON, RESULTS, _run, database_url, dataset, environment, machine, say  # noqa: E402

PHOTO_BYTES = 300 * 1024
RESTORED = "trygghet_bench_restored"


def timed(url: str, media: Path, *args: str) -> tuple[float, list[str]]:
    """The command's time, and the lines it prints on its parts (the database, the photos)."""
    started = time.perf_counter()
    output = _run([PYTHON, "manage.py", *args], {**environment(url), "MEDIA_ROOT": str(media)})
    parts = [line for line in output.splitlines() if line.startswith(("database:", "photos:"))]
    return time.perf_counter() - started, parts


def photos(media: Path, count: int) -> None:
    """`count` stand-in photos in `media`, kept between runs."""
    folder = media / "incidents" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(len(list(folder.iterdir())), count):
        (folder / f"{number:06d}.jpg").write_bytes(os.urandom(PHOTO_BYTES))


def empty_database(beside: str) -> str:
    """A new, empty database on the bench database's server (an old one is dropped first)."""
    parts = urlsplit(beside)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(RESTORED))
        )
    return database_url(RESTORED)


def drop(url: str) -> None:
    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(RESTORED)))


def main() -> None:
    incidents = int(os.environ.get("BENCH_INCIDENTS", "1000000"))
    photo_count = int(os.environ.get("BENCH_PHOTOS", "1000"))
    OUT.mkdir(exist_ok=True)
    url = dataset(f"trygghet_bench_{incidents}", incidents)
    media, restored_media, folder = OUT / "media", OUT / "media-restored", OUT / "backup"
    photos(media, photo_count)
    for leftover in (restored_media, folder):
        shutil.rmtree(leftover, ignore_errors=True)

    say(f"backup of {incidents:,} incidents and {photo_count:,} photos")
    backup_s, backup_parts = timed(url, media, "backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    target = empty_database(url)
    say("restore into a new, empty database")
    try:
        restore_s, restore_parts = timed(target, restored_media, "restore", str(folder))
    finally:
        drop(target)
    results = {
        "backup_s": backup_s,
        "restore_s": restore_s,
        "dump_mb": manifest["database"]["size"] / 1e6,
        "photos_mb": sum(photo["size"] for photo in manifest["photos"]) / 1e6,
        "rows": sum(manifest["tables"].values()),
        "photos": len(manifest["photos"]),
    }
    shutil.rmtree(restored_media, ignore_errors=True)
    for name, value in results.items():
        print(f"{name}={value:.1f}" if isinstance(value, float) else f"{name}={value}")  # noqa: T201
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        [(database_bytes,)] = conn.execute("SELECT pg_database_size(current_database())")
    details = [
        f"- database on disk: {database_bytes / 1e6:.0f} MB",
        *(f"- backup, {line}" for line in backup_parts),
        *(f"- restore, {line}" for line in restore_parts),
    ]
    append(incidents, results, manifest, details)


def spaced(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def append(incidents: int, results: dict, manifest: dict, details: list[str]) -> None:
    lines = [
        "",
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: backup and restore, "
        f"{spaced(incidents)} incidents",
        "",
        f"{machine()}; Python {sys.version.split()[0]}, PostgreSQL {manifest['postgresql']}; "
        f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())} at the end.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| backup (`manage.py backup DIR`) | {results['backup_s']:.0f} s |",
        f"| restore into an empty database (`manage.py restore DIR`) | {results['restore_s']:.0f} s |",
        f"| database dump (pg_dump custom format) | {results['dump_mb']:.0f} MB |",
        f"| photos ({spaced(results['photos'])} stand-ins of 300 KB) | "
        f"{results['photos_mb']:.0f} MB |",
        f"| rows in the manifest | {spaced(results['rows'])} |",
        "",
        *details,
        "",
        "Command: `BENCH_INCIDENTS=1000000 BENCH_PHOTOS=1000 make bench-backup`",
    ]
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
