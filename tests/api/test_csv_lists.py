"""Every API list with a JSON form also streams CSV, formatted by PostgreSQL, and so do the
stats: the same rows as the JSON, personal columns only for those who may see them, and a
number of queries that does not grow with the rows."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patrols.models import Shift
from tests.accounts.factories import DepartmentFactory
from tests.api.test_exports import body_of, read_csv
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory, AssignmentFactory, VehicleFactory, make_shift
from tests.properties.factories import PropertyFactory


def _one_of_each(persona, department) -> None:
    """One more row in each of the lists (categories come with the migrations)."""
    host = persona("host")
    DepartmentFactory()
    AssignmentFactory(area=AreaFactory(), created_by=persona("chief"))
    latest = max((shift.planned_end for shift in Shift.objects.all()), default=None)
    make_shift(hosts=[host], start=latest, vehicle=VehicleFactory())
    PropertyFactory(department=department)


# list: (the role that reads it, a column of its header, a personal column or None)
LISTS = {
    "departments": ("report_client", "name", None),
    "areas": ("partner", "boundary", None),
    "assignments": ("chief", "reason", "consultation_note"),
    "shifts": ("chief", "host_count", "hosts"),
    "categories": ("partner", "code", None),
    "properties": ("report_client", "address", None),
}


@pytest.mark.parametrize("name", LISTS)
def test_the_list_streams_csv_with_the_rows_of_its_json(client_as, persona, department, name):
    role, column, _personal = LISTS[name]
    _one_of_each(persona, department)
    client = client_as(role)
    response = client.get(f"/api/v1/{name}/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = read_csv(body_of(response))
    # Categories come unpaginated, the other lists by pages.
    paged = name != "categories"
    json = client.get(f"/api/v1/{name}/", {"page_size": 1000} if paged else {}).json()
    results = json["results"] if paged else json
    assert rows and len(rows) == len(results)
    keys = [_key(title) for title in header]
    assert {str(item["id"]) for item in results} == {row[keys.index("id")] for row in rows}
    assert column in keys


def _key(title: str) -> str:
    """The JSON name of a column, from its header: stable names as they are, labels mapped."""
    return HEADERS.get(title, title)


HEADERS = {
    "Id": "id",
    "Namn": "name",
    "Gräns": "boundary",
    "Anledning": "reason",
    "Värdar": "host_count",
    "Värdarnas namn": "hosts",
    "Kod": "code",
    "Adress": "address",
    "Samrådsanteckning": "consultation_note",
}


@pytest.mark.parametrize(("name", "role"), [("assignments", "partner"), ("shifts", "partner")])
def test_partners_get_no_personal_columns(client_as, persona, department, name, role):
    _one_of_each(persona, department)
    response = client_as(role).get(f"/api/v1/{name}/", {"format": "csv", "dialect": "excel-sv"})
    body = body_of(response).decode("utf-8-sig")
    header = read_csv(body.encode(), ";")[0]
    personal = LISTS[name][2]
    assert personal not in [_key(title) for title in header]
    assert persona("host").username not in body
    assert "Samråd med kommunpolisen" not in body


def test_the_chief_sees_who_is_on_a_shift(client_as, persona, department):
    _one_of_each(persona, department)
    body = body_of(client_as("chief").get("/api/v1/shifts/", {"format": "csv"})).decode()
    assert persona("host").username in body


@pytest.mark.parametrize("name", LISTS)
def test_csv_query_count_does_not_grow_with_rows(client_as, persona, department, name):
    """Only the COPY reads rows; what runs before it is the same for 1 more row as for 5."""
    client = client_as(LISTS[name][0])
    url = f"/api/v1/{name}/?format=csv"
    body_of(client.get(url))  # the session or the token's first use is recorded once
    counts = []
    for more in (1, 5):
        for _ in range(more):
            _one_of_each(persona, department)
        with CaptureQueriesContext(connection) as queries:
            body_of(client.get(url))
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def figures(persona):
    host = persona("host")
    area = AreaFactory(name="Centrum")
    for day in (3, 3, 10):
        incident = IncidentFactory(
            reported_by=host,
            area=area,
            category=category("graffiti"),
            occurred_at=datetime(2026, 11, day, 20, tzinfo=UTC),
        )
        EscalationFactory(incident=incident, arrived_at=None)


STATS = {"from": "2026-11-02", "to": "2026-11-15", "bucket": "week", "group_by": "area"}


@pytest.mark.parametrize("kind", ["incidents", "escalations"])
def test_stats_stream_csv_with_the_rows_of_their_json(client_as, figures, kind):
    client = client_as("partner")
    url = f"/api/v1/stats/{kind}/"
    json = client.get(url, STATS).json()
    response = client.get(url, {**STATS, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = read_csv(body_of(response))
    assert header[:5] == ["bucket", "partial", "area", "area_name", "count"]
    assert [dict(zip(header, row, strict=True))["count"] for row in rows] == [
        str(row["count"]) for row in json["results"]
    ]
    assert [row[0] for row in rows] == [row["bucket"] for row in json["results"]]


def test_stats_csv_errors_are_json(client_as):
    response = client_as("partner").get(
        "/api/v1/stats/incidents/", {**STATS, "format": "csv", "dialect": "x"}
    )
    assert response.status_code == 400
    assert "dialect" in response.json()


def test_stats_csv_query_count_does_not_grow_with_rows(client_as, persona, figures):
    client = client_as("partner")
    query = {**STATS, "format": "csv"}
    body_of(client.get("/api/v1/stats/incidents/", query))
    counts = []
    for more in (1, 5):
        for _ in range(more):
            IncidentFactory(
                reported_by=persona("host"), occurred_at=datetime(2026, 11, 4, 20, tzinfo=UTC)
            )
        with CaptureQueriesContext(connection) as queries:
            body_of(client.get("/api/v1/stats/incidents/", query))
        counts.append(len(queries))
    assert counts[0] == counts[1]
