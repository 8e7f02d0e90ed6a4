import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.access import by_role
from tests.dispatch.factories import make_request, request_in, walk
from trygghet.dispatch.models import State

LIST = "/api/v1/dispatches/"
FIGURES = "/api/v1/dispatches/figures/"
# What partners and report clients never get: free text, exact places, links, the car, names.
DETAILS = {
    "what",
    "note",
    "place_text",
    "latitude",
    "longitude",
    "citizen_contact",
    "property",
    "incident",
    "shift",
    "car",
    "requested_by",
    "steps",
    "category",
}


@pytest.fixture(autouse=True)
def _partner_sees_every_call_out(partner_sees_everywhere):
    """The call-outs here are made without an area; a partner's scope over them is tested with
    the others' in tests/accounts/test_scope.py."""


@pytest.fixture
def mine(persona, car):
    return request_in(State.ON_SCENE, by=persona("chief"), shift=car, note="Ring Anna, 070-1")


@pytest.fixture
def theirs(persona, other_car):
    return make_request(by=persona("chief"), shift=other_car)


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=403,
        dpo=403,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
def test_list_by_role(client_as, mine, role, status):
    assert client_as(role).get(LIST).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
def test_figures_by_role(client_as, mine, role, status):
    assert client_as(role).get(FIGURES).status_code == status


@pytest.mark.parametrize("role", ["partner", "report_client"])
def test_partners_and_report_clients_get_figures_only(client_as, mine, role):
    client = client_as(role)
    (row,) = client.get(LIST).json()["results"]
    assert not DETAILS & row.keys()
    assert row["state"] == "on_scene"
    assert row["seconds_to_dispatch"] is not None
    assert "Anna" not in str(row)
    detail = client.get(f"{LIST}{mine.pk}/").json()
    assert not DETAILS & detail.keys()


def test_chief_gets_the_details_and_the_history(client_as, mine):
    (row,) = client_as("chief").get(LIST).json()["results"]
    assert row.keys() >= DETAILS
    assert [step["state"] for step in row["steps"]] == [
        "requested",
        "dispatched",
        "acknowledged",
        "on_scene",
    ]
    assert row["car"] == "Trygghetsbil 1"
    assert row["note"] == "Ring Anna, 070-1"


def test_host_reads_only_what_was_sent_to_their_car(client_as, mine, theirs):
    client = client_as("host")
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [mine.pk]
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["chief", "partner"])
def test_list_query_count_is_fixed(client_as, persona, car, role):
    client = client_as(role)
    request_in(State.CLEARED, by=persona("chief"), shift=car)
    client.get(LIST)
    with CaptureQueriesContext(connection) as before:
        client.get(LIST)
    for _ in range(5):
        request_in(State.CLEARED, by=persona("chief"), shift=car)
    with CaptureQueriesContext(connection) as after:
        assert len(client.get(LIST).json()["results"]) == 6
    assert len(after) == len(before)


def test_filters(client_as, persona, car, area):
    chief = persona("chief")
    high = make_request(by=chief, priority=1, source="partner")
    low = make_request(by=chief, priority=3, source="chief", latitude=None, longitude=None)
    client = client_as("report_client")

    def ids(**params):
        return {row["id"] for row in client.get(LIST, params).json()["results"]}

    assert ids(priority=1) == {high.pk}
    assert ids(source="chief") == {low.pk}
    assert ids(area=area.pk) == {high.pk}
    assert ids(state="requested") == {high.pk, low.pk}
    assert ids(occurred_after="2000-01-01T00:00:00Z") == {high.pk, low.pk}
    assert ids(occurred_before="2000-01-01T00:00:00Z") == set()


@pytest.mark.parametrize(
    "params", [{"priority": 9}, {"state": "lost"}, {"occurred_after": "igår"}, {"area": "x"}]
)
def test_bad_filters_are_a_400_with_a_message(client_as, mine, params):
    client = client_as("report_client")
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert set(params) <= response.json().keys()
    assert client.get(FIGURES, params).status_code == 400


def test_figures_take_the_lists_filters(client_as, persona, car):
    chief = persona("chief")
    requested = timezone.now() - timedelta(hours=1)
    on_scene = [(2, State.DISPATCHED), (3, State.ACKNOWLEDGED), (9, State.ON_SCENE)]
    walk(chief, car, requested, *on_scene, priority=1)
    walk(chief, car, requested, (5, State.DISPATCHED), priority=3)
    rows = client_as("partner").get(FIGURES, {"priority": 1}).json()
    totals = next(row for row in rows if row["night"] is None and row["priority"] is None)
    assert (totals["requests"], totals["dispatched"], totals["on_scene"]) == (1, 1, 1)
    assert totals["median_seconds_to_on_scene"] == 9 * 60


def test_the_api_is_read_only(client_as, mine):
    assert client_as("chief").post(LIST, {}).status_code == 403


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=403,
        dpo=403,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
def test_csv_by_role(client_as, mine, role, status):
    assert client_as(role).get(LIST, {"format": "csv"}).status_code == status


@pytest.mark.parametrize("role", ["partner", "report_client"])
@pytest.mark.parametrize(("dialect", "delimiter"), [("standard", ","), ("excel-sv", ";")])
def test_exports_carry_figures_only(client_as, mine, role, dialect, delimiter):
    response = client_as(role).get(LIST, {"format": "csv", "dialect": dialect})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="utryckningar-\d{8}-\d{4}\.csv"', response["Content-Disposition"]
    )
    text = _body(response)
    header, row = csv.reader(io.StringIO(text), delimiter=delimiter)
    assert (row[0], len(row)) == (str(mine.pk), len(header))
    # Neither the note that names someone nor where the car went (59.611, 16.541).
    assert [
        part for part in ("Anna", "070-1", "59.611", "59,611", "16.541", "16,541") if part in text
    ] == []


@pytest.mark.parametrize("role", ["partner", "report_client"])
def test_no_map_for_those_who_may_not_see_where_a_call_out_went(client_as, mine, role):
    response = client_as(role).get(LIST, {"format": "geojson"})
    assert response.status_code == 400
    assert response.json() == {"format": ["Okänt format geojson: använd json, csv."]}


def test_chief_exports_details_and_a_map(client_as, mine):
    client = client_as("chief")
    csv_text = _body(client.get(LIST, {"format": "csv"}))
    assert "Ring Anna" in csv_text
    collection = json.loads(_body(client.get(LIST, {"format": "geojson"})))
    (feature,) = collection["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lat, 3), round(lon, 3)) == (59.611, 16.541)


def test_host_exports_only_their_cars_call_outs(client_as, mine, theirs):
    text = _body(client_as("host").get(LIST, {"format": "csv"}))
    assert len(list(csv.reader(io.StringIO(text)))) == 2
