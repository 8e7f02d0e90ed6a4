"""Every API list, record and the stats answer an unknown query parameter with a 400 that names
it and the parameters there are, instead of quietly ignoring it."""

from datetime import UTC, datetime

import pytest
import time_machine

from incidents.models import NightButtonCall
from tests.dispatch.factories import make_request
from tests.incidents.factories import CitizenContactFactory, EscalationFactory, IncidentFactory
from tests.patrols.factories import PhoneLineFactory
from trygghet.api.urls import router

STATS = ["/api/v1/stats/incidents/", "/api/v1/stats/escalations/"]
LISTS = [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]
# The check comes before the record is looked up, so the record need not exist.
RECORDS = [
    f"/api/v1/{prefix}/1/"
    for prefix, viewset, _basename in router.registry
    if hasattr(viewset, "retrieve")
]
OTHERS = ["/api/v1/me/", "/api/v1/presence/", "/api/v1/dispatches/figures/"]


@pytest.mark.parametrize("url", [*LISTS, *RECORDS, *STATS, *OTHERS])
def test_an_unknown_parameter_is_a_400_that_names_it_and_the_allowed_ones(client_as, url):
    response = client_as("chief").get(url, {"occured_after": "2026-11-01"})
    assert response.status_code == 400, response.content
    (message,) = response.json()["occured_after"]
    assert message.startswith("Okänd parameter occured_after: använd ")
    assert "format" in message


def test_the_message_lists_what_the_list_reads(client_as):
    response = client_as("chief").get("/api/v1/incidents/", {"occured_after": "2026-11-01"})
    allowed = response.json()["occured_after"][0].split(": använd ")[1].rstrip(".").split(", ")
    assert {"from", "to", "occurred_after", "cursor", "page_size", "dialect", "format"} <= set(
        allowed
    )
    assert "q" not in allowed  # the chief's page searches; the API does not


def test_a_record_reads_no_filters(client_as, persona):
    incident = IncidentFactory(reported_by=persona("host"))
    client = client_as("chief")
    assert client.get(f"/api/v1/incidents/{incident.pk}/").status_code == 200
    response = client.get(f"/api/v1/incidents/{incident.pk}/", {"area": "1"})
    assert response.status_code == 400
    assert "area" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "2", "cursor": ""},
        {"format": "csv", "dialect": "excel-sv"},
        {"severity": "2", "has_escalation": "false"},
    ],
)
def test_known_parameters_are_still_read(client_as, query):
    assert client_as("chief").get("/api/v1/incidents/", query).status_code == 200


def test_stats_read_their_own_parameters_and_the_lists_filters(client_as):
    response = client_as("chief").get(
        STATS[0],
        {"from": "2026-11-02", "to": "2026-11-08", "bucket": "week", "group": "graffiti"},
    )
    assert response.status_code == 200
    assert (
        client_as("chief")
        .get(STATS[0], {"from": "2026-11-02", "to": "2026-11-08", "x": "1"})
        .status_code
        == 400
    )


def test_an_unauthenticated_request_is_a_401_first(client):
    assert client.get("/api/v1/incidents/", {"occured_after": "x"}).status_code == 401


def test_a_write_reads_no_query_parameters(client_as):
    response = client_as("host").post(
        "/api/v1/incidents/?dry_run=1", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "dry_run" in response.json()


PERIOD_LISTS = ["incidents", "escalations", "citizen-contacts", "night-button-calls", "dispatches"]


@pytest.mark.parametrize("name", PERIOD_LISTS)
def test_from_and_to_name_the_period_and_the_old_names_still_work(client_as, persona, name):
    host = persona("host")
    for day in (1, 20):
        moment = datetime(2026, 10, day, 20, tzinfo=UTC)
        incident = IncidentFactory(reported_by=host, occurred_at=moment)
        EscalationFactory(incident=incident, called_at=moment)
        CitizenContactFactory(recorded_by=host, received_at=moment)
        NightButtonCall.objects.create(phone_line=PhoneLineFactory(), host=host, started_at=moment)
        with time_machine.travel(moment, tick=False):
            make_request(by=persona("chief"))
    client = client_as("chief")

    def ids(**query):
        response = client.get(f"/api/v1/{name}/", query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    new = ids(**{"from": "2026-10-10T00:00:00Z", "to": "2026-10-30T00:00:00Z"})
    old = ids(occurred_after="2026-10-10T00:00:00Z", occurred_before="2026-10-30T00:00:00Z")
    assert len(new) == 1
    assert new == old
    assert ids(to="2026-10-10T00:00:00Z") == ids(occurred_before="2026-10-10T00:00:00Z")
    assert len(ids(to="2026-10-10T00:00:00Z")) == 1


def test_the_schema_marks_the_old_names_deprecated(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]
    }
    assert parameters["occurred_after"]["deprecated"] is True
    assert "`from`" in parameters["occurred_after"]["description"]
    assert "deprecated" not in parameters["from"]
    stats = schema["paths"]["/api/v1/stats/incidents/"]["get"]["parameters"]
    assert [parameter["name"] for parameter in stats].count("from") == 1
