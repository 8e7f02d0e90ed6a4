import io
import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from incidents.models import CitizenContact, Escalation, Incident, NightButtonCall
from patrols.models import ShiftState
from tests.access import by_role
from tests.incidents.factories import (
    CitizenContactFactory,
    EscalationFactory,
    IncidentFactory,
    category,
    make_records,
)

LISTS = ["incidents", "escalations", "citizen-contacts", "night-button-calls"]
PERSONAL = {
    "incidents": {"place_text", "description", "people_involved", "reported_by", "photos"},
    "escalations": {"note", "recorded_by"},
    "citizen-contacts": {"reason", "contact_details", "recorded_by"},
    "night-button-calls": {"host"},
}


@pytest.fixture
def records(persona, incident, shift, partner_sees_everywhere):
    EscalationFactory(incident=incident)
    CitizenContactFactory(incident=incident, recorded_by=persona("host"), shift=shift)
    NightButtonCall.objects.create(
        phone_line=shift.phone_line, host=persona("host"), shift=shift, started_at=timezone.now()
    )


@pytest.mark.parametrize("name", LISTS)
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
def test_list_access(client_as, records, name, role, status):
    assert client_as(role).get(f"/api/v1/{name}/").status_code == status


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
def test_categories_access(client_as, role, status):
    response = client_as(role).get("/api/v1/categories/")
    assert response.status_code == status
    if status == 200:
        codes = {c["code"] for c in response.json()}
        assert {"graffiti", "drug_dealing", "threat_to_staff", "dialogue"} <= codes


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    ("role", "personal"),
    [("chief", True), ("partner", False), ("report_client", False), ("admin", True)],
)
def test_personal_fields_per_role(client_as, records, name, role, personal):
    client = client_as(role)
    listed = client.get(f"/api/v1/{name}/").json()["results"][0]
    detail = client.get(f"/api/v1/{name}/{listed['id']}/").json()
    for record in (listed, detail):
        assert (PERSONAL[name] <= record.keys()) is personal
        assert not (PERSONAL[name] & record.keys()) or personal
    if not personal:
        assert "PERSONUPPGIFT" not in client.get(f"/api/v1/{name}/").content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_lists_have_a_fixed_query_count(client_as, persona, shift, name):
    client = client_as("report_client")

    def make(n):
        make_records(n, host=persona("host"), shift=shift)

    make(1)
    client.get(f"/api/v1/{name}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/{name}/")
    make(5)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(f"/api/v1/{name}/").json()["results"]) == 6
    assert len(six) == len(one)


def test_chief_incident_list_with_photos_has_a_fixed_query_count(client_as, persona, shift):
    from django.core.files.base import ContentFile

    from incidents.models import IncidentPhoto

    client = client_as("chief")

    def make(n):
        for _ in range(n):
            incident = IncidentFactory(reported_by=persona("host"), shift=shift)
            IncidentPhoto.objects.create(
                incident=incident,
                image=ContentFile(b"x", name="a.jpg"),
                uploaded_by=persona("host"),
            )

    make(1)
    client.get("/api/v1/incidents/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/incidents/")
    make(5)
    with CaptureQueriesContext(connection) as six:
        listed = client.get("/api/v1/incidents/").json()["results"]
    assert [len(row["photos"]) for row in listed] == [1] * 6
    assert len(six) == len(one)


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def incident_payload(**extra):
    return {
        "client_key": str(uuid.uuid4()),
        "category": category("graffiti").pk,
        "latitude": 59.611,
        "longitude": 16.541,
        "description": "Tags på muren",
        **extra,
    }


def test_five_identical_posts_make_one_incident(client_as, shift, area):
    client = client_as("host")
    payload = incident_payload()
    statuses = [post(client, "/api/v1/incidents/", payload).status_code for _ in range(5)]
    assert statuses == [201, 200, 200, 200, 200]
    incident = Incident.objects.get()
    assert incident.area == area
    response = post(client, "/api/v1/incidents/", payload).json()
    assert response["id"] == incident.pk
    assert response["description"] == "Tags på muren"
    assert response["area_name"] == "Centrum"


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=403,
        host=201,
        owner=403,
        dpo=403,
        partner=403,
        report_client=403,
        admin=400,
    ),
)
def test_create_access(client_as, shift, role, status):
    # The admin holds every capability but has no shift to log on.
    assert post(client_as(role), "/api/v1/incidents/", incident_payload()).status_code == status


def _iso(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"latitude": 48.85, "longitude": 2.35}, "latitude", "utanför Sverige"),
        ({"latitude": 1e308}, "latitude", "mellan -90 och 90"),
        ({"latitude": "NaN"}, "latitude", "mellan -90 och 90"),
        ({"longitude": "-Infinity"}, "longitude", "mellan -180 och 180"),
        ({"longitude": "öster"}, "longitude", "inte ett tal"),
        ({"occurred_at": lambda: _iso(hours=2)}, "occurred_at", "framtiden"),
        ({"occurred_at": lambda: _iso(hours=-48)}, "occurred_at", "säkerhetschefen"),
        ({"occurred_at": "9999-12-31T10:00:00Z"}, "occurred_at", "1 januari 2000"),
        ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "1 januari 2000"),
        ({"description": "x" * 4001}, "description", "4000"),
        ({"category": 99999}, "category", "Okänd kategori"),
        ({"client_key": "not-a-uuid"}, "client_key", "UUID"),
    ],
    ids=[
        "outside-sweden",
        "huge",
        "nan",
        "minus-infinity",
        "words",
        "future",
        "before-the-shift",
        "year-9999",
        "year-1",
        "too-long",
        "unknown-category",
        "not-a-uuid",
    ],
)
def test_bad_incident_input_is_a_400_with_a_swedish_message(
    client_as, shift, extra, field, message
):
    extra = {name: value() if callable(value) else value for name, value in extra.items()}
    response = post(client_as("host"), "/api/v1/incidents/", incident_payload(**extra))
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Incident.objects.exists()


def test_incident_on_another_hosts_shift_is_refused(client_as, shift, other_shift):
    response = post(client_as("host"), "/api/v1/incidents/", incident_payload(shift=other_shift.pk))
    assert response.status_code == 400
    assert "inte ditt" in response.json()["shift"][0]


def test_incident_on_a_closed_shift_is_refused(client_as, shift):
    shift.state = ShiftState.CLOSED
    shift.actual_end = timezone.now()
    shift.save()
    response = post(client_as("host"), "/api/v1/incidents/", incident_payload(shift=shift.pk))
    assert response.status_code == 400
    assert "pågår inte" in response.json()["shift"][0]


def test_photo_that_is_not_an_image_is_refused(client_as, shift):
    data = incident_payload()
    data["photos"] = [io.BytesIO(b"%PDF-1.4 not an image")]
    data["photos"][0].name = "x.jpg"
    response = client_as("host").post("/api/v1/incidents/", data)
    assert response.status_code == 400
    assert "inte en bild" in json.dumps(response.json(), ensure_ascii=False)
    assert not Incident.objects.exists()


def test_photo_upload(client_as, shift):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    out.name = "p.png"
    out.seek(0)
    data = incident_payload()
    data["photos"] = [out]
    response = client_as("host").post("/api/v1/incidents/", data)
    assert response.status_code == 201
    assert len(response.json()["photos"]) == 1


def test_filters(client_as, persona, shift, area):
    IncidentFactory(reported_by=persona("host"), area=area, source="citizen_call", severity=3)
    IncidentFactory(
        reported_by=persona("host"),
        category=category("fire"),
        occurred_at=timezone.now() - timezone.timedelta(days=10),
    )
    client = client_as("report_client")

    def ids(query):
        return len(client.get(f"/api/v1/incidents/?{query}").json()["results"])

    assert ids(f"area={area.pk}") == 1
    assert ids(f"category={category('fire').pk}") == 1
    assert ids("severity=3") == 1
    assert ids("source=citizen_call") == 1
    after = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/incidents/", {"occurred_after": after}).json()["results"][0]
    assert len(client.get("/api/v1/incidents/", {"occurred_before": after}).json()["results"]) == 1


def test_bad_filter_is_a_400(client_as):
    response = client_as("report_client").get("/api/v1/incidents/?occurred_after=yesterday")
    assert response.status_code == 400
    assert "occurred_after" in response.json()


def test_escalation_create_on_own_incident_only(client_as, incident, others_incident):
    client = client_as("host")
    payload = {"client_key": str(uuid.uuid4()), "incident": incident.pk, "service": "police"}
    assert post(client, "/api/v1/escalations/", payload).status_code == 201
    assert post(client, "/api/v1/escalations/", payload).status_code == 200
    other = {**payload, "client_key": str(uuid.uuid4()), "incident": others_incident.pk}
    response = post(client, "/api/v1/escalations/", other)
    assert response.status_code == 400
    assert "Okänd händelse" in response.json()["incident"][0]
    assert Escalation.objects.count() == 1


def test_citizen_contact_create(client_as, shift):
    payload = {
        "client_key": str(uuid.uuid4()),
        "channel": "in_person",
        "reason": "Frågade om vägen",
    }
    response = post(client_as("host"), "/api/v1/citizen-contacts/", payload)
    assert response.status_code == 201
    assert CitizenContact.objects.get().shift == shift


def test_night_button_call_start_and_end(client_as, shift):
    client = client_as("host")
    key = str(uuid.uuid4())
    started = post(client, "/api/v1/night-button-calls/", {"client_key": key})
    assert started.status_code == 201
    assert post(client, "/api/v1/night-button-calls/", {"client_key": key}).status_code == 200
    second = post(client, "/api/v1/night-button-calls/", {"client_key": str(uuid.uuid4())})
    assert second.status_code == 400
    call_id = started.json()["id"]
    ended = post(client, f"/api/v1/night-button-calls/{call_id}/end/", {"outcome": "dropped"})
    assert ended.status_code == 200
    assert ended.json()["outcome"] == "dropped"
    assert (
        post(client_as("partner"), f"/api/v1/night-button-calls/{call_id}/end/", {}).status_code
        == 403
    )
