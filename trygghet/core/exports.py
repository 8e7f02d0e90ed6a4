"""Streamed CSV exports that PostgreSQL formats itself.

An export is a queryset (already scoped and filtered for the user: the same one the list shows)
plus a column spec. Each column becomes an SQL expression that formats its value, the queryset's
SQL is run as `COPY (SELECT …) TO STDOUT (FORMAT csv)` through psycopg, and the bytes go to the
client in chunks of about 256 KB. Rows are never fetched into Python: formatting a million rows
in Python is ten times slower and holds them in memory (see DESIGN.md, "Numbers it must reach").

Two dialects:
- `standard`: comma, UTF-8, codes for choices, `true`/`false`, decimal point;
- `excel-sv`: what Swedish Excel opens directly: `;`, a UTF-8 byte-order mark, decimal comma,
  and labels instead of codes.
Both write times as local ISO 8601 with the offset (2026-07-03T23:15:00+02:00).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import psycopg
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Func, Value
from django.db.models.functions import Cast, Replace
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHUNK_BYTES = 256 * 1024
BOM = "\ufeff".encode()
ISO_LOCAL = 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    """One column: its header, where the value comes from (a lookup such as "category__code"
    or an expression) and how it is formatted. A CHOICE column shows `choices`' labels in the
    excel-sv dialect."""

    header: str
    source: str | models.Expression
    kind: Kind = Kind.TEXT
    choices: Sequence[tuple[object, str]] = ()


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    bom: bool
    decimal_comma: bool
    labels: bool


DIALECTS = {
    "standard": Dialect("standard", ",", bom=False, decimal_comma=False, labels=False),
    "excel-sv": Dialect("excel-sv", ";", bom=True, decimal_comma=True, labels=True),
}


class UnknownDialect(ValueError):
    pass


def dialect_named(name: str | None) -> Dialect:
    """The dialect asked for (`standard` when none); UnknownDialect names the ones there are."""
    try:
        return DIALECTS[name or "standard"]
    except KeyError:
        raise UnknownDialect(
            _("Unknown CSV dialect {name}: use {choices}.").format(
                name=name, choices=", ".join(DIALECTS)
            )
        ) from None


class ToChar(Func):
    function = "to_char"
    output_field = models.TextField()


def _formatted(column: Column, dialect: Dialect) -> models.Expression:
    value = F(column.source) if isinstance(column.source, str) else column.source
    text = models.TextField()
    match column.kind:
        case Kind.DATETIME:
            # Local time, since the export runs with the session time zone set to ours.
            return ToChar(value, Value(ISO_LOCAL))
        case Kind.DECIMAL if dialect.decimal_comma:
            return Replace(Cast(value, text), Value(".", text), Value(",", text))
        case Kind.BOOLEAN if dialect.labels:
            return Labelled(value, [(True, gettext_lazy("yes")), (False, gettext_lazy("no"))])
        case Kind.CHOICE if dialect.labels and column.choices:
            return Labelled(value, column.choices)
        case _:
            return Cast(value, text)


class Labelled(models.Expression):
    """CASE <value> WHEN code THEN label … ELSE <value>::text END. Codes and labels are
    parameters, and labels are translated when the SQL is made (in the request's language)."""

    output_field = models.TextField()

    def __init__(self, value, choices: Sequence[tuple[object, str]]):
        super().__init__()
        self.value = value
        self.choices = choices

    def get_source_expressions(self):
        return [self.value]

    def set_source_expressions(self, expressions):
        (self.value,) = expressions

    def as_sql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        whens = " ".join("WHEN %s THEN %s" for _choice in self.choices)
        labels = [part for code, label in self.choices for part in (code, str(label))]
        sql = f"CASE {value_sql} {whens} ELSE ({value_sql})::text END"
        return sql, (*value_params, *labels, *value_params)


def copy_sql(
    queryset: models.QuerySet, columns: Sequence[Column], dialect: Dialect
) -> tuple[str, tuple]:
    """The `COPY (SELECT …) TO STDOUT` statement and its parameters (for psycopg's client-side
    binding), keeping the queryset's filters and order."""
    formatted = queryset.values(
        **{f"c{index}": _formatted(column, dialect) for index, column in enumerate(columns)}
    )
    select, params = formatted.query.sql_with_params()
    delimiter = dialect.delimiter.replace("'", "''")
    return f"COPY ({select}) TO STDOUT (FORMAT csv, DELIMITER '{delimiter}')", tuple(params)


def header_line(columns: Sequence[Column], dialect: Dialect) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n").writerow(
        [str(column.header) for column in columns]
    )
    return (BOM if dialect.bom else b"") + out.getvalue().encode()


def stream_copy(
    sql: str, params: tuple, *, first: bytes = b"", chunk_bytes: int = CHUNK_BYTES
) -> Iterator[bytes]:
    """Run a COPY … TO STDOUT and yield its output in chunks of about `chunk_bytes`.

    Yielding each piece psycopg reads (about a row) makes a streaming response many times
    slower than the COPY itself; gathering them first keeps it at COPY speed. The time zone is
    set for this transaction only, and the transaction is rolled back: an export reads, and no
    session setting may outlive it."""
    with transaction.atomic():
        connection.ensure_connection()
        with psycopg.ClientCursor(connection.connection) as cursor:
            cursor.execute("SELECT set_config('TimeZone', %s, true)", (settings.TIME_ZONE,))
            pending, size = [first] if first else [], len(first)
            with cursor.copy(sql, params) as copy:
                for data in copy:
                    pending.append(data)
                    size += len(data)
                    if size >= chunk_bytes:
                        yield b"".join(pending)
                        pending, size = [], 0
            if pending:
                yield b"".join(pending)
        transaction.set_rollback(True)


def csv_response(
    queryset: models.QuerySet,
    columns: Sequence[Column],
    *,
    dialect: Dialect,
    filename: str,
) -> StreamingHttpResponse:
    sql, params = copy_sql(queryset, columns, dialect)
    response = StreamingHttpResponse(
        stream_copy(sql, params, first=header_line(columns, dialect)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_download(
    request, queryset: models.QuerySet, columns: Sequence[Column], *, name: str, filterset=None
) -> HttpResponse:
    """A page's filtered list as a CSV download in the dialect asked for (`?dialect=`), named
    by the local time. Bad filters or an unknown dialect are a 400 that says what was wrong."""
    if filterset is not None and filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(
            _("Check the filters: {errors}").format(errors=filterset.errors)
        )
    try:
        dialect = dialect_named(request.GET.get("dialect"))
    except UnknownDialect as error:
        return HttpResponseBadRequest(str(error))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(queryset, columns, dialect=dialect, filename=f"{name}-{stamp}.csv")
