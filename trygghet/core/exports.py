"""Streamed CSV and GeoJSON exports that PostgreSQL formats itself.

An export is a queryset (already scoped and filtered for the user: the same one the list shows)
plus a column spec. Each column becomes an SQL expression that formats its value, the queryset's
SQL is run as `COPY (SELECT …) TO STDOUT` through psycopg, and the bytes go to the client in
chunks of about 256 KB. Rows are never fetched into Python: a million rows of 7 columns fetched
and written with csv.writer took about 11 times as long as COPY (7 s against 0.6 s on 2 cores)
and held 292 MB in the worker.

Two dialects:
- `standard`, a program's contract: comma, UTF-8, a header row of the columns' stable names (the
  JSON fields' names, whatever the language), codes for choices, `true`/`false`, decimal point,
  times as local ISO 8601 with the offset (2026-07-03T23:15:00+02:00);
- `excel-sv`: what Swedish Excel and LibreOffice open directly: `;`, a UTF-8 byte-order mark,
  headers and choices in the user's language, decimal comma, and local times without the offset
  (2026-07-03 23:15:00), the one form they read as a date-time.

In both, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading `'`, so a spreadsheet shows it as text instead of running it as a formula (OWASP's
advice against CSV injection): anyone may write such text, in the public report form too.

GeoJSON (RFC 7946): PostgreSQL builds each Feature with json_build_object, the same columns as
properties under their keys. COPY's text format would escape every backslash of the JSON, so
the features travel in COPY's CSV format with a quote and a delimiter that JSON text never holds
raw (control characters are always escaped in JSON): each line is one feature, byte for byte.
Python only puts the commas between them, a bytes.replace per chunk.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import psycopg
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Func, Value
from django.db.models.functions import Cast, Replace
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygghet.core.aggregates import Minutes
from trygghet.core.crs import (
    CRS_PARAMETER,
    Grid,
    UnknownCRS,
    grid_named,
    named_crs_member,
    projected_csv,
    projected_features,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHUNK_BYTES = 256 * 1024
# One line per value, unquoted and unescaped: JSON text never holds these two bytes raw.
VERBATIM = "(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
BOM = "\ufeff".encode()
ISO_LOCAL = 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'
SPREADSHEET_LOCAL = "YYYY-MM-DD HH24:MI:SS"


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    LIST = "list"  # an array; of codes from `choices` when given


@dataclass(frozen=True)
class Column:
    """One column: its header (translated, for excel-sv), where the value comes from (a lookup
    such as "category__code" or an expression) and how it is formatted. A CHOICE or LIST column
    shows `choices`' labels in the excel-sv dialect. `key` names the value in the standard
    dialect's header and in GeoJSON properties; by default the lookup with single underscores
    ("category_code"), which matches the JSON list's field names."""

    header: StrOrPromise
    source: str | models.Expression | models.Subquery
    kind: Kind = Kind.TEXT
    choices: Sequence[tuple[object, StrOrPromise]] = ()
    key: str = ""

    def __post_init__(self):
        if not self.key and not isinstance(self.source, str):
            raise ValueError(f"Column {self.header!r} is an expression and needs a key.")

    @property
    def name(self) -> str:
        return self.key or str(self.source).replace("__", "_")


def minutes_column(header: StrOrPromise, start: str, end: str, *, key: str) -> Column:
    """Whole minutes from one moment to another (empty while the second is missing)."""
    return Column(header, Minutes(F(start), F(end)), Kind.INTEGER, key=key)


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    bom: bool
    decimal_comma: bool
    labels: bool
    time_format: str


DIALECTS = {
    "standard": Dialect(
        "standard", ",", bom=False, decimal_comma=False, labels=False, time_format=ISO_LOCAL
    ),
    "excel-sv": Dialect(
        "excel-sv", ";", bom=True, decimal_comma=True, labels=True, time_format=SPREADSHEET_LOCAL
    ),
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


# Numbers, times and booleans are written by PostgreSQL and cannot start a formula (a negative
# number stays a number); everything else is text someone may have typed.
UNTYPED_TEXT = (Kind.TEXT, Kind.CHOICE, Kind.LIST)


def _formatted(column: Column, dialect: Dialect) -> models.Expression:
    formatted = _formatted_value(column, dialect)
    return NotAFormula(formatted) if column.kind in UNTYPED_TEXT else formatted


def _formatted_value(column: Column, dialect: Dialect) -> models.Expression:
    value = F(column.source) if isinstance(column.source, str) else column.source
    text = models.TextField()
    match column.kind:
        case Kind.DATETIME:
            # Local time, since the export runs with the session time zone set to ours.
            return ToChar(value, Value(dialect.time_format))
        case Kind.DECIMAL if dialect.decimal_comma:
            return Replace(Cast(value, text), Value(".", text), Value(",", text))
        case Kind.BOOLEAN if dialect.labels:
            return Labelled(value, [(True, gettext_lazy("yes")), (False, gettext_lazy("no"))])
        case Kind.CHOICE if dialect.labels and column.choices:
            return Labelled(value, column.choices)
        case Kind.LIST if dialect.labels and column.choices:
            return JoinedArray(value, column.choices)
        case Kind.LIST:
            return JoinedArray(value)
        case _:
            return Cast(value, text)


class NotAFormula(models.Expression):
    """Text that a spreadsheet shows as text: a `'` before a first character that would start a
    formula (`=`, `+`, `-`, `@`, tab, carriage return). A CASE on the first character, so the
    export stays at COPY speed."""

    output_field = models.TextField()

    def __init__(self, value: models.Expression):
        super().__init__()
        self.value = value

    def get_source_expressions(self):
        return [self.value]

    def set_source_expressions(self, expressions):
        (self.value,) = expressions

    def as_sql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        sql = (
            f"CASE WHEN left({value_sql}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN '''' || ({value_sql}) ELSE ({value_sql}) END"
        )
        return sql, (*value_params, *value_params, *value_params)


class ChoiceText(models.Expression):
    """A value written as text with the labels of its choices (codes to labels)."""

    output_field = models.TextField()

    def __init__(self, value, choices: Sequence[tuple[object, StrOrPromise]] = ()):
        super().__init__()
        self.value = value
        self.choices = choices

    def get_source_expressions(self):
        return [self.value]

    def set_source_expressions(self, expressions):
        (self.value,) = expressions


class Labelled(ChoiceText):
    """CASE <value> WHEN code THEN label … ELSE <value>::text END. Codes and labels are
    parameters, and labels are translated when the SQL is made (in the request's language)."""

    def as_sql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        whens = " ".join("WHEN %s THEN %s" for _choice in self.choices)
        labels = [part for code, label in self.choices for part in (code, str(label))]
        sql = f"CASE {value_sql} {whens} ELSE ({value_sql})::text END"
        return sql, (*value_params, *labels, *value_params)


class JoinedArray(ChoiceText):
    """An array as text, its elements joined with ", "; with `choices`, each code's label."""

    def as_sql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        if not self.choices:
            return f"array_to_string({value_sql}, ', ')", tuple(value_params)
        label, label_params = Labelled(RawElement(), self.choices).as_sql(compiler, connection)
        sql = f"array_to_string(ARRAY(SELECT {label} FROM unnest({value_sql}) AS element), ', ')"
        return sql, (*label_params, *value_params)


class RawElement(models.Expression):
    """The element of the array JoinedArray unnests."""

    output_field = models.TextField()

    def as_sql(self, compiler, connection):
        return "element", ()


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
    """The header row: the stable names in `standard` (a program reads them), the translated
    headers in `excel-sv` (a person does)."""
    out = io.StringIO()
    csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n").writerow(
        [str(column.header) if dialect.labels else column.name for column in columns]
    )
    return (BOM if dialect.bom else b"") + out.getvalue().encode()


class Feature(models.Expression):
    """An RFC 7946 Feature built by PostgreSQL: the row's id, a Point (longitude first; null
    for a row without a position, an "unlocated" feature) and `properties`, pairs of a key and
    an expression."""

    output_field = models.TextField()

    def __init__(
        self,
        *,
        lat: str,
        lon: str,
        properties: Sequence[tuple[str, models.Expression | models.Subquery | F]],
        id: str = "pk",
        projected: bool = False,
    ):
        super().__init__()
        # A projected feature leaves its geometry null for trygghet.core.crs to fill in.
        self.projected = projected
        self.keys = [key for key, _value in properties]
        self.expressions = [F(id), F(lat), F(lon), *(value for _key, value in properties)]

    def get_source_expressions(self):
        return self.expressions

    def set_source_expressions(self, expressions):
        self.expressions = list(expressions)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(expression) for expression in self.expressions]
        (id_sql, id_params), (lat_sql, lat_params), (lon_sql, lon_params) = compiled[:3]
        pairs = ", ".join(f"%s, {sql}" for sql, _params in compiled[3:])
        properties_params = [
            part
            for key, (_sql, params) in zip(self.keys, compiled[3:], strict=True)
            for part in (key, *params)
        ]
        point = (
            f"CASE WHEN ({lat_sql}) IS NULL THEN NULL ELSE json_build_object('type', 'Point', "
            f"'coordinates', json_build_array(({lon_sql})::float8, ({lat_sql})::float8)) END"
        )
        if self.projected:
            point, lat_params, lon_params = "NULL", (), ()
        sql = (
            f"json_build_object('type', 'Feature', 'id', {id_sql}, 'geometry', {point}, "
            f"'properties', json_build_object({pairs}))"
        )
        return sql, (
            *id_params,
            *lat_params,
            *lon_params,
            *lat_params,
            *properties_params,
        )


def _property(column: Column) -> models.Expression | models.Subquery | F:
    """A column's value for JSON: times as local ISO 8601 text, everything else as it is
    (numbers stay numbers, arrays arrays, choices their codes, as in the JSON list)."""
    value = F(column.source) if isinstance(column.source, str) else column.source
    return ToChar(value, Value(ISO_LOCAL)) if column.kind == Kind.DATETIME else value


def geojson_sql(
    queryset: models.QuerySet,
    columns: Sequence[Column],
    *,
    lat: str,
    lon: str,
    projected: bool = False,
) -> tuple[str, tuple]:
    """`COPY (SELECT <feature> …) TO STDOUT`, one Feature per line, keeping the queryset's
    filters and order. A projected feature's line starts with its latitude and longitude (see
    trygghet.core.crs.projected_features)."""
    properties = tuple((column.name, _property(column)) for column in columns)
    feature = Feature(lat=lat, lon=lon, properties=properties, projected=projected)
    position = {
        "p_lat": Cast(F(lat), models.FloatField()),
        "p_lon": Cast(F(lon), models.FloatField()),
    }
    features = queryset.values(**(position if projected else {}), feature=feature)
    select, params = features.query.sql_with_params()
    return f"COPY ({select}) TO STDOUT {VERBATIM}", tuple(params)


GEOJSON_START = b'{"type": "FeatureCollection", "features": [\n'
GEOJSON_END = b"\n]}\n"


def feature_collection_chunks(
    lines: Iterator[bytes], *, start: bytes = GEOJSON_START
) -> Iterator[bytes]:
    """Chunks of newline-terminated features as one FeatureCollection: a comma goes between
    two features, and chunks always end at a line's end (stream_copy gathers whole rows)."""
    separator = start
    for chunk in lines:
        yield separator + chunk[:-1].replace(b"\n", b",\n")
        separator = b",\n"
    yield (start if separator == start else b"") + GEOJSON_END


def stream_copy(
    sql: str, params: tuple, *, first: bytes = b"", chunk_bytes: int | None = None
) -> Iterator[bytes]:
    """Run a COPY … TO STDOUT and yield its output in chunks of about `chunk_bytes`.

    Yielding each piece psycopg reads (about a row) makes a streaming response many times
    slower than the COPY itself; gathering them first keeps it at COPY speed. The time zone is
    set for this transaction only, and the transaction is rolled back: an export reads, and no
    session setting may outlive it."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    with transaction.atomic():
        connection.ensure_connection()
        with psycopg.ClientCursor(connection.connection) as cursor:
            cursor.execute("SELECT set_config('TimeZone', %s, true)", (settings.TIME_ZONE,))
            pending: list[bytes | bytearray | memoryview]
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
    grid: Grid | None = None,
) -> StreamingHttpResponse:
    """The CSV; in a grid, the latitude and longitude columns become easting and northing (a
    list without a position has nothing to project)."""
    sql, params = copy_sql(queryset, columns, dialect)
    names = [column.name for column in columns]
    if grid is None or not {"latitude", "longitude"} <= set(names):
        chunks = stream_copy(sql, params, first=header_line(columns, dialect))
    else:
        rows = projected_csv(
            stream_copy(sql, params),
            grid,
            latitude=names.index("latitude"),
            longitude=names.index("longitude"),
            delimiter=dialect.delimiter,
            decimal_comma=dialect.decimal_comma,
        )
        gridded = [GRID_COLUMNS.get(column.name, column) for column in columns]
        chunks = itertools.chain([header_line(gridded, dialect)], rows)
    return _attachment(chunks, content_type="text/csv; charset=utf-8", filename=filename)


# The position's columns in a grid: metres east and north (SWEREF 99 TM's axes).
GRID_COLUMNS = {
    "latitude": Column(gettext_lazy("Easting (m)"), "latitude", Kind.DECIMAL, key="easting"),
    "longitude": Column(gettext_lazy("Northing (m)"), "longitude", Kind.DECIMAL, key="northing"),
}


def geojson_response(
    queryset: models.QuerySet,
    columns: Sequence[Column],
    *,
    lat: str,
    lon: str,
    filename: str,
    grid: Grid | None = None,
) -> StreamingHttpResponse:
    """RFC 7946 GeoJSON in WGS 84; in a grid, the points in metres and the named-CRS member of
    GeoJSON 2008 (which RFC 7946 left out, and GDAL still reads)."""
    sql, params = geojson_sql(queryset, columns, lat=lat, lon=lon, projected=grid is not None)
    if grid is None:
        chunks = feature_collection_chunks(stream_copy(sql, params))
    else:
        start = GEOJSON_START.replace(b'"features"', named_crs_member(grid) + b'"features"')
        chunks = feature_collection_chunks(
            projected_features(stream_copy(sql, params), grid), start=start
        )
    return _attachment(chunks, content_type="application/geo+json", filename=filename)


def _attachment(chunks: Iterator[bytes], *, content_type: str, filename: str):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_download(
    request, queryset: models.QuerySet, columns: Sequence[Column], *, name: str, filterset=None
) -> HttpResponseBase:
    """A page's filtered list as a CSV download in the dialect asked for (`?dialect=`) and the
    coordinate system (`?crs=`), named by the local time. Bad filters, an unknown dialect or an
    unknown system are a 400 that says what was wrong."""
    if filterset is not None and filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(
            _("Check the filters: {errors}").format(errors=filterset.errors)
        )
    try:
        dialect = dialect_named(request.GET.get("dialect"))
        grid = grid_named(request.GET.get(CRS_PARAMETER))
    except (UnknownDialect, UnknownCRS) as error:
        return HttpResponseBadRequest(str(error))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(
        queryset, columns, dialect=dialect, filename=f"{name}-{stamp}.csv", grid=grid
    )
