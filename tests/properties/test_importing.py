"""The register import: a preview with a message per bad row, and nothing imported when any row
is bad. Swedish Excel's files (Windows-1252 or UTF-8 with BOM, semicolons) are read as they are."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from properties.importing import parse_register
from properties.models import Property
from tests.properties.factories import PropertyFactory

HEADER = (
    "namn;adress;latitud;longitud;förvaltning;måndag;tisdag;onsdag;torsdag;fredag;lördag;söndag"
)


def csv(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def good_rows(department) -> list[str]:
    return [
        f"Bäckbyskolan;Bäckbyvägen 5;59,6180;16,4860;{department.name};17:00;17:00;17.00;17:00;16:30;;",
        f"Råby sporthall;Idrottsvägen 2;59,6130;16,5010;{department.name};22:00;22:00;22:00;22:00;21:00;18:00;20:00",
    ]


def upload(client, content: bytes, name="register.csv"):
    return client.post(
        reverse("properties:property-import"),
        {"file": SimpleUploadedFile(name, content, "text/csv")},
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"], ids=lambda e: e)
def test_excel_encodings_are_read(department, encoding):
    text = csv(*good_rows(department))
    if encoding == "utf-16":
        text = text.replace(";", "\t")
    preview = parse_register(text.encode(encoding))
    assert preview.is_valid, (preview.errors, [r.errors for r in preview.rows])
    first = preview.rows[0].values
    assert first["name"] == "Bäckbyskolan"
    assert first["latitude"] == Decimal("59.618000")
    assert first["closes_wednesday"] == time(17)
    assert first["closes_saturday"] is None


def test_comma_separated_utf8_with_english_headers(department):
    text = (
        "name,address,lat,lon,department,monday,tuesday,wednesday,thursday,friday,saturday,sunday\n"
        f'"Skolan, hus B",Skolgatan 1,59.61,16.54,{department.name},18:00,18:00,18:00,18:00,17:00,,\n'
    )
    preview = parse_register(text.encode())
    assert preview.is_valid
    assert preview.rows[0].values["name"] == "Skolan, hus B"


def test_the_page_previews_then_imports_everything_in_one_go(client_as, department):
    client = client_as("chief")
    response = upload(client, csv(*good_rows(department)).encode("cp1252"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Windows-1252" in page
    assert "Importera 2 byggnader" in page
    assert not Property.objects.exists()
    content = response.context["confirm"].initial["content"]
    response = client.post(reverse("properties:property-import"), {"content": content})
    assert response.status_code == 302
    assert sorted(Property.objects.values_list("name", flat=True)) == [
        "Bäckbyskolan",
        "Råby sporthall",
    ]
    hall = Property.objects.get(name="Råby sporthall")
    assert hall.closes_sunday == time(20)
    assert hall.department == department


def test_a_known_name_is_updated_and_absent_columns_are_kept(client_as, department):
    PropertyFactory(name="bäckbyskolan", department=department, access_notes="Nyckel 7")
    client = client_as("chief")
    response = upload(client, csv(*good_rows(department)).encode())
    assert "Uppdaterar byggnaden" in response.content.decode()
    client.post(
        reverse("properties:property-import"),
        {"content": response.context["confirm"].initial["content"]},
    )
    school = Property.objects.get(name__iexact="Bäckbyskolan")
    assert school.closes_friday == time(16, 30)
    assert school.access_notes == "Nyckel 7"
    assert Property.objects.count() == 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["Skolan;Gatan 1;59,6;16,5;{dept};25:00;17:00;17:00;17:00;17:00;;"],
            "Kolumnen måndag: ”25:00” är ingen tid",
        ),
        (["Skolan;Gatan 1;59,6;16,5;{dept};kl 5;17:00;17:00;17:00;17:00;;"], "”kl 5” är ingen tid"),
        (
            ["Skolan;Gatan 1;59,6;16,5;Gatukontoret;17:00;17:00;17:00;17:00;17:00;;"],
            "Okänd förvaltning ”Gatukontoret”",
        ),
        (
            [
                "Skolan;Gatan 1;59,6;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;",
                "SKOLAN;Gatan 2;59,6;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;",
            ],
            "Namnet ”SKOLAN” finns redan på rad 3",
        ),
        (
            ["Skolan;Gatan 1;sextio;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;"],
            "Kolumnen latitud: ”sextio” är inte ett tal",
        ),
        (["Skolan;Gatan 1;159,6;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;"], "ligger utanför"),
        (
            ["Skolan;Gatan 1;48,85;2,35;{dept};17:00;17:00;17:00;17:00;17:00;;"],
            "Positionen ligger utanför Sverige",
        ),
        (
            ["Skolan;Gatan 1;1e308;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;"],
            "Kolumnen latitud: 1e308 ligger utanför -90–90",
        ),
        (
            ["Skolan;Gatan 1;59,6;NaN;{dept};17:00;17:00;17:00;17:00;17:00;;"],
            "Kolumnen longitud: NaN ligger utanför -180–180",
        ),
        (["Skolan;Gatan 1;59,6;16,5;{dept};17:00"], "Raden har 6 celler men rubrikraden har 12"),
        ([";Gatan 1;59,6;16,5;{dept};17:00;17:00;17:00;17:00;17:00;;"], "Fältet namn är tomt"),
    ],
    ids=[
        "bad-time",
        "words-for-time",
        "unknown-department",
        "duplicate-names",
        "not-a-number",
        "out-of-range",
        "outside-sweden",
        "huge",
        "nan",
        "short-row",
        "empty-name",
    ],
)
def test_bad_rows_are_named_and_nothing_is_imported(client_as, department, rows, message):
    good = good_rows(department)[0]
    text = csv(good, *(row.format(dept=department.name) for row in rows))
    response = upload(client_as("chief"), text.encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Inget har importerats" in page
    assert "confirm" not in response.context or response.context["confirm"] is None
    assert not Property.objects.exists()


def test_wrong_columns_are_named(client_as, department):
    text = csv("Skolan;Gatan 1;x;17:00", header="namn;adress;förvaltning;måndag")
    response = upload(client_as("chief"), text.encode())
    assert response.status_code == 400
    assert "Fel kolumner: filen saknar latitud, longitud, tisdag" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "inte text i UTF-8 eller Windows-1252"),
        (b"namn;adress\r\nSkol\x81an;x\r\n", "inte text i UTF-8 eller Windows-1252"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel-arbetsbok"),
        (b"", "Filen är tom"),
    ],
    ids=["binary", "neither-utf8-nor-cp1252", "xlsx", "empty"],
)
def test_files_that_are_not_csv_are_refused_clearly(client_as, content, message):
    response = upload(client_as("chief"), content or b"\r\n")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_tampered_confirmation_is_checked_again(client_as, department):
    bad = csv("Skolan;Gatan 1;59,6;16,5;Okänd;17:00;17:00;17:00;17:00;17:00;;")
    response = client_as("chief").post(reverse("properties:property-import"), {"content": bad})
    assert response.status_code == 400
    assert not Property.objects.exists()


def test_the_example_file_imports_as_it_is(client_as, department):
    client = client_as("chief")
    example = client.get(reverse("properties:property-import-template")).content
    assert example.startswith("\ufeff".encode())
    response = upload(client, example)
    assert response.status_code == 200, response.content.decode()
