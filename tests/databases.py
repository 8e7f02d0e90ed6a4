"""Databases of their own on the test run's server, for commands and servers run as processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from django.db import connection
from psycopg import sql


def url_of(name: str) -> str:
    """A DATABASE_URL for the database `name` beside the test database."""
    connection.ensure_connection()
    info = connection.connection.info
    given = info.get_parameters()
    who = quote(given["user"]) + (f":{quote(info.password)}" if info.password else "")
    if given.get("host", "").startswith("/"):  # a Unix socket's folder
        return f"postgres://{who}@/{name}?host={quote(given['host'])}&port={info.port}"
    return f"postgres://{who}@{given.get('host', 'localhost')}:{info.port}/{name}"


@contextmanager
def new_database(prefix: str = "trygghet_scratch") -> Iterator[str]:
    """A new, empty database, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = url_of("postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url_of(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
