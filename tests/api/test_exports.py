"""The lists under /api/v1/ as JSON, CSV (both dialects) and GeoJSON: every format for every list
with every role, personal data only for those who may see it, streamed, and the same rows as the
JSON list."""

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Escalation, NightButtonCall
from patrols.models import Visit
from tests.access import by_role
from tests.incidents.factories import CitizenContactFactory, EscalationFactory, IncidentFactory
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift, square
from tests.properties.factories import PropertyFactory, check
from trygghet.core import exports

INCIDENT_READERS = {
    "anonymous": 401,
    "chief": 200,
    "host": 403,
    "owner": 403,
    "partner": 200,
    "report_client": 200,
    "admin": 200,
    "dpo": 403,
}
# list: (who may read it, whether rows have a position for GeoJSON)
LISTS = {
    "incidents": (INCIDENT_READERS, True),
    "escalations": (INCIDENT_READERS, True),
    "citizen-contacts": (INCIDENT_READERS, False),
    "night-button-calls": (INCIDENT_READERS, False),
    "visits": ({**INCIDENT_READERS, "host": 200}, False),
    "property-checks": ({**INCIDENT_READERS, "host": 200, "owner": 200, "partner": 403}, True),
    "deviations": ({**INCIDENT_READERS, "owner": 200, "partner": 403}, True),
}
PROPERTY_LISTS = {"property-checks", "deviations"}
FORMATS = {
    "json": "",
    "csv": "format=csv",
    "excel": "format=csv&dialect=excel-sv",
    "geojson": "format=geojson",
}


def sees_personal_data(role: str, name: str) -> bool:
    """Chief, hosts and administrators; property owners for the buildings they follow up."""
    return role in ("chief", "host", "admin") or (role == "owner" and name in PROPERTY_LISTS)


def cases() -> list:
    """by_role() for each list and each of its formats."""
    return [
        pytest.param(name, format_name, *case.values, id=f"{name}-{format_name}-{case.id}")
        for name, (statuses, geojson) in LISTS.items()
        for format_name in FORMATS
        if geojson or format_name != "geojson"
        for case in by_role(**statuses)
    ]


@pytest.fixture
def records(persona, department, partner_sees_everywhere):
    """One row in every list, made by the host on their running shift, with personal data in
    every free text and the host's name where a list shows who."""
    host = persona("host")
    shift = make_shift(hosts=[host], active=True, phone_line=PhoneLineFactory())
    area = AreaFactory(name="Centrum", boundary=square(16.53, 59.60, 0.02))
    incident = IncidentFactory(reported_by=host, shift=shift, area=area)
    EscalationFactory(incident=incident, arrived_at=timezone.now() + timedelta(minutes=12))
    CitizenContactFactory(incident=incident, recorded_by=host, shift=shift)
    NightButtonCall.objects.create(
        phone_line=shift.phone_line, host=host, shift=shift, started_at=timezone.now()
    )
    Visit.objects.create(
        shift=shift, area=area, arrived_at=timezone.now(), recorded_by=host, note="PERSONUPPGIFT"
    )
    check(
        PropertyFactory(department=department),
        host,
        failed=["locked"],
        description="PERSONUPPGIFT vid dörren",
        action_note="PERSONUPPGIFT låste",
    )
    return incident


def personal_markers(persona) -> list[str]:
    """What shows personal data in any list: the free texts and the host, by user name (the
    exports) or by name (the JSON of checks)."""
    host = persona("host")
    return ["PERSONUPPGIFT", host.username, str(host)]


def body_of(response) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue()
    return response.content


def read_csv(body: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def assert_rfc7946(collection: dict) -> None:
    """The rules of RFC 7946 that a reader such as QGIS relies on."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], int | str)
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        # Longitude first: in Sweden that is the smaller number.
        assert lon < lat


@pytest.mark.parametrize(("name", "format_name", "role", "status"), cases())
def test_every_format_of_every_list_for_every_role(
    client_as, persona, records, name, format_name, role, status
):
    response = client_as(role).get(f"/api/v1/{name}/?{FORMATS[format_name]}")
    assert response.status_code == status
    if status != 200:
        return
    body = body_of(response)
    if format_name == "json":
        assert response["Content-Type"] == "application/json"
        assert json.loads(body)["results"]
    elif format_name == "geojson":
        assert response.streaming
        assert response["Content-Type"] == "application/geo+json"
        collection = json.loads(body)
        assert_rfc7946(collection)
        assert collection["features"]
    else:
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert body.startswith(b"\xef\xbb\xbf") is (format_name == "excel")
        rows = read_csv(body, ";" if format_name == "excel" else ",")
        assert len(rows) == 2  # the header and the one row
    text = body.decode()
    shown = [marker for marker in personal_markers(persona) if marker in text]
    assert bool(shown) is sees_personal_data(role, name), shown


@pytest.mark.parametrize("name", [name for name in LISTS if LISTS[name][1]])
def test_geojson_is_the_json_list_at_its_positions(client_as, records, name):
    client = client_as("chief")
    listed = {row["id"] for row in client.get(f"/api/v1/{name}/").json()["results"]}
    collection = json.loads(body_of(client.get(f"/api/v1/{name}/?format=geojson")))
    assert {feature["id"] for feature in collection["features"]} == listed
    for feature in collection["features"]:
        properties = feature["properties"]
        assert feature["geometry"]["coordinates"] == [
            float(properties["longitude"]),
            float(properties["latitude"]),
        ]


def test_rows_without_a_position_are_unlocated_features(client_as, records, persona):
    IncidentFactory(reported_by=persona("host"), latitude=None, longitude=None)
    collection = json.loads(body_of(client_as("chief").get("/api/v1/incidents/?format=geojson")))
    geometries = [feature["geometry"] for feature in collection["features"]]
    assert None in geometries
    assert_rfc7946(collection)


def test_an_empty_list_is_an_empty_collection(client_as, db):
    collection = json.loads(
        body_of(client_as("report_client").get("/api/v1/incidents/?format=geojson"))
    )
    assert collection == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("format_name", ["csv", "geojson"])
def test_exports_have_the_lists_filters(client_as, records, persona, format_name):
    elsewhere = AreaFactory(name="Hamnen")
    IncidentFactory(reported_by=persona("host"), area=elsewhere, latitude=None, longitude=None)
    client = client_as("report_client")
    query = f"area={records.area_id}"
    listed = [row["id"] for row in client.get(f"/api/v1/incidents/?{query}").json()["results"]]
    body = body_of(client.get(f"/api/v1/incidents/?{query}&format={format_name}"))
    if format_name == "csv":
        exported = [int(row[0]) for row in read_csv(body)[1:]]
    else:
        exported = [feature["id"] for feature in json.loads(body)["features"]]
    assert exported == listed == [records.pk]


def test_excel_dialect_round_trips_free_text_through_the_csv_module(client_as, persona, db):
    text = 'Sten; "kastad" mot fönster\nandra raden'
    IncidentFactory(
        reported_by=persona("host"),
        description=text,
        latitude=Decimal("59.612345"),
        longitude=Decimal("16.541234"),
    )
    response = client_as("chief").get("/api/v1/incidents/?format=csv&dialect=excel-sv")
    body = body_of(response)
    assert body.startswith(b"\xef\xbb\xbf")
    header, row = read_csv(body, ";")
    assert row[header.index("Beskrivning")] == text
    assert row[header.index("Latitud")] == "59,612345"
    assert row[header.index("Longitud")] == "16,541234"
    assert row[header.index("Allvarlighetsgrad")] == "Låg"


def test_csv_times_are_local_with_their_offset(client_as, persona, db):
    from datetime import UTC, datetime

    IncidentFactory(
        reported_by=persona("host"), occurred_at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC)
    )
    client = client_as("chief")
    header, row = read_csv(body_of(client.get("/api/v1/incidents/?format=csv")))
    assert row[header.index("occurred_at")] == "2026-01-11T00:30:00+01:00"
    body = body_of(client.get("/api/v1/incidents/?format=csv&dialect=excel-sv"))
    header, row = read_csv(body, ";")
    # Without the offset: the form Swedish Excel and LibreOffice read as a date-time.
    assert row[header.index("Inträffade")] == "2026-01-11 00:30:00"


@pytest.mark.parametrize("name", LISTS)
def test_the_standard_header_is_the_json_fields_names_in_any_language(client_as, records, name):
    """A program's contract: the names of the JSON fields, and for what the CSV adds
    (a related name, a figure) names of the same kind, whatever the caller's language."""
    client = client_as("chief")
    fields = set(client.get(f"/api/v1/{name}/").json()["results"][0])
    headers = []
    for language in ("sv", "en"):
        client.cookies["django_language"] = language
        headers.append(read_csv(body_of(client.get(f"/api/v1/{name}/?format=csv")))[0])
    assert headers[0] == headers[1]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", header) for header in headers[0]), headers[0]
    assert {"id", "shift"} & set(headers[0]) & fields


FORMULA = '=HYPERLINK("http://evil","Öppna")'


@pytest.mark.parametrize(("dialect", "delimiter"), [("standard", ","), ("excel-sv", ";")])
def test_a_formula_from_the_public_form_reaches_the_chief_as_text(
    client_as, db, dialect, delimiter
):
    cache.clear()  # the public form's rate limit
    sent = Client().post(
        "/public/report/",
        {"category": "graffiti", "reason": FORMULA, "place_text": "@SUM(A1)", "website": ""},
    )
    assert sent.status_code == 302
    url = f"/api/v1/citizen-contacts/?format=csv&dialect={dialect}"
    header, row = read_csv(body_of(client_as("chief").get(url)), delimiter)
    reason = header.index("reason" if dialect == "standard" else "Anledning")
    assert row[reason] == "'" + FORMULA


@pytest.mark.parametrize("format_name", ["csv", "geojson"])
def test_first_bytes_leave_before_the_last_rows_are_read(
    client_as, persona, db, monkeypatch, format_name
):
    """The response is sent while PostgreSQL still writes rows: nothing waits for the whole
    file, so memory stays flat however long the list."""
    host = persona("host")
    for _ in range(40):
        IncidentFactory(reported_by=host)
    reads = []
    original = psycopg.Copy.__iter__

    def counted(copy):
        for data in original(copy):
            reads.append(len(data))
            yield data

    monkeypatch.setattr(psycopg.Copy, "__iter__", counted)
    monkeypatch.setattr(exports, "CHUNK_BYTES", 500)
    response = client_as("chief").get(f"/api/v1/incidents/?format={format_name}")
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"id," if format_name == "csv" else b'{"type": "FeatureCollection"')
    assert 0 < len(reads) < 40
    rest = b"".join(chunks)
    assert len(reads) == 40
    if format_name == "geojson":
        assert len(json.loads(first + rest)["features"]) == 40


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("format=xml", "format", "Okänt format xml: använd json, csv, geojson."),
        ("format=csv&dialect=excel", "dialect", "Okänd CSV-dialekt excel"),
        ("format=csv&area=999999", "area", "Okänt område."),
        ("format=geojson&occurred_after=igår", "occurred_after", "Fyll i ett giltigt datum"),
    ],
)
def test_bad_export_requests_are_400_in_swedish_json(client_as, db, query, field, message):
    response = client_as("report_client").get(f"/api/v1/incidents/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()[field][0].startswith(message)


def test_geojson_is_only_offered_where_rows_have_a_position(client_as, db):
    response = client_as("chief").get("/api/v1/night-button-calls/?format=geojson")
    assert response.status_code == 400
    assert response.json()["format"] == ["Okänt format geojson: använd json, csv."]


@pytest.mark.parametrize("format_name", ["csv", "geojson"])
def test_export_query_count_does_not_grow_with_rows(client_as, persona, format_name):
    """Only the COPY reads rows; what runs before it is the same for 1 row as for 6."""
    host = persona("host")
    client = client_as("report_client")
    url = f"/api/v1/escalations/?format={format_name}"
    body_of(client.get(url))  # the token's first use is recorded once
    counts = []
    for rows in (1, 5):
        for _ in range(rows):
            EscalationFactory(incident=IncidentFactory(reported_by=host))
        with CaptureQueriesContext(connection) as queries:
            body = body_of(client.get(url))
        written = body.count(b'"Feature"') if format_name == "geojson" else body.count(b"\n") - 1
        assert written == Escalation.objects.count()
        counts.append(len(queries))
    assert counts[0] == counts[1]
