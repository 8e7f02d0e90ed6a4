import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db.models import DecimalField, IntegerField, Value
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy

from patrols.models import Area, AreaKind
from tests.patrols.factories import AreaFactory
from trygghet.core import exports
from trygghet.core.exports import Column, Kind, csv_response, dialect_named

NOTES = 'Sten; "kastad" mot fönster\nandra raden'

COLUMNS = [
    Column("Namn", "name"),
    Column("Anteckning", "notes"),
    Column("Typ", "kind", Kind.CHOICE, choices=AreaKind.choices),
    Column("Aktiv", "active", Kind.BOOLEAN),
    Column("Skapad", "created_at", Kind.DATETIME),
    Column(
        "Lat",
        Value(Decimal("59.612345"), output_field=DecimalField(max_digits=8, decimal_places=6)),
        Kind.DECIMAL,
        key="lat",
    ),
]


@pytest.fixture
def area(db):
    area = AreaFactory(name="Torget", notes=NOTES, kind=AreaKind.CAR_PARK)
    # Summer time: Stockholm is UTC+2.
    Area.objects.filter(pk=area.pk).update(created_at=datetime(2026, 7, 3, 21, 15, tzinfo=UTC))
    return area


def read(response, dialect):
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming
    body = b"".join(response.streaming_content)
    if dialect.bom:
        assert body.startswith(b"\xef\xbb\xbf")
        body = body[3:]
    return list(csv.reader(io.StringIO(body.decode()), delimiter=dialect.delimiter))


def test_standard_dialect_round_trips_through_the_csv_module(area):
    dialect = dialect_named("standard")
    rows = read(
        csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv"), dialect
    )
    assert rows[0] == ["name", "notes", "kind", "active", "created_at", "lat"]
    assert rows[1] == [
        "Torget",
        NOTES,
        "car_park",
        "true",
        "2026-07-03T23:15:00+02:00",
        "59.612345",
    ]


def test_excel_dialect_has_bom_semicolons_decimal_comma_and_labels(area):
    dialect = dialect_named("excel-sv")
    response = csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv")
    assert response["Content-Disposition"] == 'attachment; filename="a.csv"'
    rows = read(response, dialect)
    assert rows[0] == ["Namn", "Anteckning", "Typ", "Aktiv", "Skapad", "Lat"]
    assert rows[1] == ["Torget", NOTES, "Parkering", "ja", "2026-07-03 23:15:00", "59,612345"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_standard_header_is_the_same_in_every_language(area, language):
    dialect = dialect_named("standard")
    with translation.override(language):
        rows = read(
            csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv"), dialect
        )
    assert rows[0] == [column.name for column in COLUMNS]


def test_the_excel_header_is_in_the_users_language(area):
    dialect = dialect_named("excel-sv")
    columns = [Column(gettext_lazy("name"), "name")]
    with translation.override("en"):
        rows = read(
            csv_response(Area.objects.all(), columns, dialect=dialect, filename="a"), dialect
        )
    assert rows[0] == ["name"]
    with translation.override("sv"):
        rows = read(
            csv_response(Area.objects.all(), columns, dialect=dialect, filename="a"), dialect
        )
    assert rows[0] == ["namn"]


FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","Öppna")']


@pytest.mark.parametrize("dialect_name", list(exports.DIALECTS))
@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_would_start_a_formula_is_written_as_text(area, dialect_name, text):
    Area.objects.filter(pk=area.pk).update(name=text, kind=text[:20])
    dialect = dialect_named(dialect_name)
    rows = read(
        csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv"), dialect
    )
    assert rows[1][0] == "'" + text
    # An unknown code in a choice column is written as it is, so it is neutralised too.
    assert rows[1][2] == "'" + text[:20]


@pytest.mark.parametrize("dialect_name", list(exports.DIALECTS))
def test_numbers_stay_numbers_and_harmless_text_stays_as_it_is(area, dialect_name):
    negative = Value(Decimal("-1.5"), output_field=DecimalField(max_digits=4, decimal_places=1))
    columns = [
        Column("Namn", "name"),
        Column("Tal", negative, Kind.DECIMAL, key="number"),
        Column("Heltal", Value(-3, output_field=IntegerField()), Kind.INTEGER, key="integer"),
    ]
    Area.objects.filter(pk=area.pk).update(name="Torget = mitt i stan")
    dialect = dialect_named(dialect_name)
    rows = read(csv_response(Area.objects.all(), columns, dialect=dialect, filename="a"), dialect)
    decimal = "-1,5" if dialect.decimal_comma else "-1.5"
    assert rows[1] == ["Torget = mitt i stan", decimal, "-3"]


def test_winter_times_have_the_winter_offset(area):
    Area.objects.filter(pk=area.pk).update(created_at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC))
    dialect = dialect_named("standard")
    rows = read(
        csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv"), dialect
    )
    assert rows[1][4] == "2026-01-11T00:30:00+01:00"
    excel = dialect_named("excel-sv")
    rows = read(csv_response(Area.objects.all(), COLUMNS, dialect=excel, filename="a.csv"), excel)
    assert rows[1][4] == "2026-01-11 00:30:00"


def test_output_comes_in_chunks_and_keeps_the_order(db, monkeypatch):
    AreaFactory.create_batch(30)
    dialect = dialect_named("standard")
    queryset = Area.objects.order_by("-name")
    sql, params = exports.copy_sql(queryset, COLUMNS[:1], dialect)
    chunks = list(exports.stream_copy(sql, params, chunk_bytes=50))
    assert len(chunks) > 3
    names = [row[0] for row in csv.reader(io.StringIO(b"".join(chunks).decode()))]
    assert names == list(queryset.values_list("name", flat=True))


def test_the_session_time_zone_does_not_outlive_the_export(area):
    from django.db import connection

    dialect = dialect_named("standard")
    b"".join(
        csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a").streaming_content
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == "UTC"


def test_unknown_dialect_is_named():
    with pytest.raises(exports.UnknownDialect, match="excel-sv"):
        dialect_named("excel")


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc) is missing"
)
def test_libreoffice_in_swedish_reads_excel_sv_times_as_dates_and_decimals_as_numbers(
    area, tmp_path
):
    """The file as a Swedish user opens it: LibreOffice's CSV import with `;`, UTF-8 and the
    Swedish locale, its cells' types read back from the flat ODS it writes."""
    Area.objects.filter(pk=area.pk).update(notes='=HYPERLINK("http://evil","Öppna")')
    dialect = dialect_named("excel-sv")
    response = csv_response(Area.objects.all(), COLUMNS, dialect=dialect, filename="a.csv")
    (tmp_path / "a.csv").write_bytes(b"".join(response.streaming_content))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            # `;`, `"`, UTF-8, from line 1, Swedish (1053), detect dates and numbers.
            "--infilter=CSV:59,34,76,1,,1053,false,true",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "a.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = ElementTree.parse(tmp_path / "a.fods")
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    row = sheet.findall(f".//{{{table}}}table-row")[1]
    types = [cell.get(f"{{{office}}}value-type") for cell in row.iter(f"{{{table}}}table-cell")]
    # name, notes, kind, active, created_at, lat
    assert types[:6] == ["string", "string", "string", "string", "date", "float"]
    cells = list(row.iter(f"{{{table}}}table-cell"))
    assert cells[4].get(f"{{{office}}}date-value") == "2026-07-03T23:15:00"
    assert cells[5].get(f"{{{office}}}value") == "59.612345"
    assert cells[1].get(f"{{{table}}}formula") is None
