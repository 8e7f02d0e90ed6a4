"""The weekly upload in the organisation's own layout, with the files partners really send."""

import base64
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tests.incidents.factories import category
from tests.partners.factories import WEEK_47, WEEK_47_URL
from trygghet.partners.models import CategoryMapping, ClosedWeek, ReportRow, ReportSource
from trygghet.partners.services import upload_layout_save
from trygghet.partners.uploads import parse_upload

pytestmark = pytest.mark.django_db

HEADER = "datum;område;kategori;antal;anteckning"
GOOD = (
    HEADER + "\r\n2026-11-20;Centrum;graffiti;3;Vid stationen\r\n2026-11-21;centrum;Klotter;1;\r\n"
)


def parse(data: bytes, organisation):
    from trygghet.partners.services import upload_layout_for

    return parse_upload(
        data, layout=upload_layout_for(organisation), organisation=organisation, week=WEEK_47
    )


def errors(preview) -> list[str]:
    return preview.errors + [error for row in preview.rows for error in row.errors]


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_file_is_read(organisation, area):
    preview = parse(GOOD.encode(), organisation)
    assert preview.is_valid, errors(preview)
    assert [row.values["row"].count for row in preview.rows] == [3, 1]
    assert preview.encoding == "utf-8"


def test_excels_bom_and_semicolons(organisation, area):
    preview = parse("\ufeff".encode() + GOOD.encode(), organisation)
    assert preview.is_valid, errors(preview)


def test_commas_work_too(organisation, area):
    preview = parse(GOOD.replace(";", ",").encode(), organisation)
    assert preview.is_valid, errors(preview)


def test_windows_1252_is_read_and_said(organisation, area):
    preview = parse(GOOD.encode("cp1252"), organisation)
    assert preview.is_valid, errors(preview)
    assert preview.encoding == "cp1252"


def test_a_file_in_no_known_encoding_is_refused(organisation, area):
    preview = parse(HEADER.encode() + b"\r\n2026-11-20;\x81\x8d\x8f;graffiti;1;\r\n", organisation)
    assert not preview.is_valid
    assert "UTF-8" in preview.errors[0]


def test_wrong_columns_say_what_the_file_has(organisation, area):
    preview = parse(b"datum;plats;typ;antal\r\n2026-11-20;Centrum;graffiti;1\r\n", organisation)
    assert not preview.is_valid
    assert "“område”" in preview.errors[0] and "“plats”" in preview.errors[0]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("2026-11-20;Centrum;Bilbrand;1;", "Okänd kategori ”Bilbrand”"),
        ("2026-11-20;Hamnen;graffiti;1;", "Okänt område ”Hamnen”"),
        ("20/11/2026;Centrum;graffiti;1;", "Ange ett datum som 2026-11-27"),
        ("2026-11-30;Centrum;graffiti;1;", "ligger inte i v. 47"),
        ("9999-12-31;Centrum;graffiti;1;", "Välj ett datum"),
        ("2026-11-20;Centrum;graffiti;tre;", "”tre” är inget heltal"),
        ("2026-11-20;Centrum;graffiti;1e308;", "”1e308” är inget heltal"),
        ("2026-11-20;Centrum;graffiti;0;", "från 1 till 10000"),
        ("2026-11-20;Centrum;graffiti;99999999999;", "från 1 till 10000"),
        ("2026-11-20;Centrum;dialogue;1;", "ingen händelsekategori"),
        ("2026-11-20;;graffiti;1;", "Välj ett område"),
        ("2026-11-20;Centrum;graffiti;1;" + "x" * 201, "längre än 200"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_taken(organisation, area, line, said):
    preview = parse((GOOD + line + "\r\n").encode(), organisation)
    assert not preview.is_valid
    (bad,) = preview.bad_rows
    assert bad.line == 4
    assert any(said in error for error in bad.errors), bad.errors


def test_a_formula_is_text(organisation, area):
    formula = '"=HYPERLINK(""http://x"",""y"")"'
    preview = parse(
        (HEADER + f"\r\n2026-11-20;Centrum;graffiti;1;{formula}\r\n").encode(), organisation
    )
    assert preview.is_valid, errors(preview)
    assert preview.rows[0].values["row"].note == '=HYPERLINK("http://x","y")'


def test_the_saved_layout_reads_the_organisations_own_file(organisation, area):
    upload_layout_save(
        organisation=organisation,
        night_column="Händelsedatum",
        date_format="%d/%m/%Y",
        area_column="Plats",
        category_column="Typ",
        count_column="St",
        note_column="",
    )
    CategoryMapping.objects.create(
        organisation=organisation, their_name="Skadegörelse bil", category=category("vandalism")
    )
    data = "Id;Typ;Plats;St;Händelsedatum\r\n17;Skadegörelse bil;Centrum;2;21/11/2026\r\n"
    preview = parse(data.encode(), organisation)
    assert preview.is_valid, errors(preview)
    assert preview.rows[0].values["row"].category == category("vandalism")
    assert preview.ignored_columns == ["id"]


def test_an_excel_workbook_is_read_with_its_dates(organisation, area):
    data = workbook(
        ["Datum", "Område", "Kategori", "Antal", "Anteckning"],
        [date(2026, 11, 20), "Centrum", "graffiti", 4, '=HYPERLINK("http://x","y")'],
        ["2026-11-21", "Centrum", "graffiti", 1.0, None],
    )
    preview = parse(data, organisation)
    assert preview.is_valid, errors(preview)
    assert preview.encoding == "xlsx"
    first = preview.rows[0].values["row"]
    assert (first.count, first.note) == (4, '=HYPERLINK("http://x","y")')


def test_a_workbooks_huge_number_is_refused(organisation, area):
    data = workbook(
        ["Datum", "Område", "Kategori", "Antal"],
        [date(9999, 12, 31), "Centrum", "graffiti", 1e308],
    )
    preview = parse(data, organisation)
    assert not preview.is_valid
    assert len(preview.rows[0].errors) == 2


def test_a_broken_workbook_is_refused(organisation, area):
    preview = parse(b"PK\x03\x04" + b"not a zip", organisation)
    assert "Excel-arbetsbok" in preview.errors[0]


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", HEADER.encode() + b"\r\n"])
def test_an_empty_file_is_refused(organisation, area, data):
    assert not parse(data, organisation).is_valid


def upload_url(organisation):
    return reverse("partners:report-upload", args=[organisation.pk, WEEK_47_URL])


def test_upload_preview_then_confirm(client_as, partner, organisation, area):
    client = client_as("partner")
    file = io.BytesIO(GOOD.encode())
    file.name = "vecka47.csv"
    preview = client.post(upload_url(organisation), {"file": file})
    assert preview.status_code == 200
    assert not ReportRow.objects.exists()  # nothing before the confirmation
    content = base64.b64encode(GOOD.encode()).decode()
    assert content in preview.content.decode()
    response = client.post(upload_url(organisation), {"content": content})
    assert response["Location"] == reverse(
        "partners:report-edit", args=[organisation.pk, WEEK_47_URL]
    )
    report = organisation.weekly_reports.get()
    assert (report.source, report.rows.count()) == (ReportSource.UPLOAD, 2)


def test_a_bad_file_is_400_and_nothing_is_imported(client_as, partner, organisation, area):
    file = io.BytesIO((GOOD + "2026-11-20;Centrum;Bilbrand;1;\r\n").encode())
    file.name = "vecka47.csv"
    response = client_as("partner").post(upload_url(organisation), {"file": file})
    assert response.status_code == 400
    assert "Okänd kategori" in response.content.decode()
    assert not ReportRow.objects.exists()


@pytest.mark.parametrize("content", ["not base64!", base64.b64encode(b"\x00\x01").decode()])
def test_a_tampered_confirmation_imports_nothing(client_as, partner, organisation, content):
    response = client_as("partner").post(upload_url(organisation), {"content": content})
    assert response.status_code == 400
    assert not ReportRow.objects.exists()


def test_a_closed_week_takes_no_upload(client_as, partner, organisation, area, persona):
    ClosedWeek.objects.create(week=WEEK_47, closed_by=persona("chief"))
    content = base64.b64encode(GOOD.encode()).decode()
    response = client_as("partner").post(upload_url(organisation), {"content": content})
    assert response.status_code == 400
    assert not ReportRow.objects.exists()
