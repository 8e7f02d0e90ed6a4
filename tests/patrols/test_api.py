"""/api/v1/ areas, assignments, shifts, visits and presence, for every role."""

import uuid
from datetime import timedelta

import pytest
import time_machine

from patrols.models import Area, Shift, ShiftState, Visit
from tests.access import by_role
from tests.accounts.factories import UserFactory
from tests.patrols.factories import (
    DURING,
    FRIDAY_21,
    AreaFactory,
    AssignmentFactory,
    VehicleFactory,
    make_shift,
    square,
)
from tests.patrols.queries import assert_fixed_query_count
from trygghet.accounts.roles import Role

LISTS = [
    "/api/v1/areas/",
    "/api/v1/areas/?format=geojson",
    "/api/v1/assignments/",
    "/api/v1/shifts/",
    "/api/v1/visits/",
]
READ_WITH_HOSTS = by_role(
    anonymous=401,
    chief=200,
    host=200,
    owner=403,
    dpo=403,
    partner=200,
    report_client=200,
    admin=200,
)
READ_WITHOUT_HOSTS = by_role(
    anonymous=401,
    chief=200,
    host=403,
    owner=403,
    dpo=403,
    partner=200,
    report_client=200,
    admin=200,
)
WRITE_CHIEF = by_role(
    anonymous=401,
    chief=201,
    host=403,
    owner=403,
    dpo=403,
    partner=403,
    report_client=403,
    admin=201,
)


@pytest.mark.parametrize(("role", "status"), READ_WITH_HOSTS)
@pytest.mark.parametrize("url", LISTS)
def test_lists_by_role(client_as, world, role, status, url):
    assert client_as(role).get(url).status_code == status


@pytest.mark.parametrize(("role", "status"), READ_WITH_HOSTS)
def test_details_by_role(client_as, world, partner_sees_everywhere, role, status):
    client = client_as(role)
    for url in [
        f"/api/v1/areas/{world['area'].pk}/",
        f"/api/v1/assignments/{world['assignment'].pk}/",
        f"/api/v1/shifts/{world['active'].pk}/",
        f"/api/v1/visits/{world['visit'].pk}/",
    ]:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("role", "status"), READ_WITHOUT_HOSTS)
def test_presence_by_role(client_as, world, role, status):
    response = client_as(role).get("/api/v1/presence/?first=2026-11-27&last=2026-11-27")
    assert response.status_code == status


def planning_bodies(persona) -> dict:
    return {
        "/api/v1/areas/": {"name": "Parken", "kind": "park", "boundary": square(16.6, 59.6)},
        "/api/v1/assignments/": {
            "area": AreaFactory.create().pk,
            "reason": "Oro.",
            "priority": 1,
            "valid_from": "2026-11-01",
            "weekdays": [4, 5],
            "start_time": "21:00",
            "end_time": "02:00",
            "consulted_with": "police",
            "consulted_on": "2026-10-30",
        },
        "/api/v1/shifts/": {
            "planned_start": "2026-12-04T21:00:00+01:00",
            "planned_end": "2026-12-05T03:00:00+01:00",
            "hosts": [persona("host").pk],
        },
    }


@pytest.mark.parametrize(("role", "status"), WRITE_CHIEF)
@pytest.mark.parametrize("url", ["/api/v1/areas/", "/api/v1/assignments/", "/api/v1/shifts/"])
def test_planning_writes_by_role(client_as, persona, role, status, url):
    body = planning_bodies(persona)[url]
    assert client_as(role).post(url, body, content_type="application/json").status_code == status


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
def test_visit_writes_by_role(client_as, world, role, status):
    with time_machine.travel(DURING, tick=False):
        response = client_as(role).post(
            "/api/v1/visits/",
            {
                "shift": world["active"].pk,
                "area": AreaFactory().pk,
                "client_key": str(uuid.uuid4()),
            },
            content_type="application/json",
        )
    assert response.status_code == status


# --- What each role sees


def test_partners_and_report_clients_see_no_host_names(client_as, world, partner_sees_everywhere):
    for role in ("partner", "report_client"):
        client = client_as(role)
        shift = client.get(f"/api/v1/shifts/{world['active'].pk}/").json()
        assert shift["host_count"] == 2
        assert "hosts" not in shift and "summary" not in shift
        visit = client.get("/api/v1/visits/").json()["results"][0]
        assert "recorded_by" not in visit and "note" not in visit
        assignment = client.get("/api/v1/assignments/").json()["results"][0]
        assert "created_by" not in assignment and "consultation_note" not in assignment
        body = str(shift) + str(visit) + str(assignment)
        assert "Kalle" not in body and "Anna Ek" not in body


def test_the_chief_sees_who_was_on_the_shift(client_as, world, persona):
    shift = client_as("chief").get(f"/api/v1/shifts/{world['active'].pk}/").json()
    assert {host["name"] for host in shift["hosts"]} == {
        str(persona("host")),
        str(persona("other_host")),
    }


def test_a_host_reads_only_their_own_shifts_and_visits(client_as, world, persona):
    other = make_shift(hosts=[UserFactory(roles=[Role.HOST])], start=FRIDAY_21)
    Visit.objects.create(
        shift=other, area=world["area"], arrived_at=FRIDAY_21, recorded_by=persona("chief")
    )
    client = client_as("host")
    assert {s["id"] for s in client.get("/api/v1/shifts/").json()["results"]} == {
        world["active"].pk,
        world["planned"].pk,
    }
    assert len(client.get("/api/v1/visits/").json()["results"]) == 1
    assert client.get(f"/api/v1/shifts/{other.pk}/").status_code == 404


def test_areas_as_a_geojson_feature_collection(client_as, world):
    client = client_as("report_client")
    response = client.get("/api/v1/areas/?format=geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["name"] == "Torget"
    assert "boundary" not in feature["properties"]
    assert "next" in collection
    single = client.get(f"/api/v1/areas/{world['area'].pk}/?format=geojson")
    assert single.json()["type"] == "Feature"


def test_areas_are_filtered(client_as, world):
    AreaFactory(name="Gamla", active=False, kind="park")
    client = client_as("chief")
    names = [a["name"] for a in client.get("/api/v1/areas/?active=true").json()["results"]]
    assert names == ["Torget"]
    parks = [a["name"] for a in client.get("/api/v1/areas/?kind=park").json()["results"]]
    assert parks == ["Gamla"]


def test_shifts_and_visits_are_filtered_by_local_day(client_as, world, persona):
    make_shift(hosts=[persona("host")], start=FRIDAY_21 + timedelta(days=3))
    client = client_as("chief")
    shifts = client.get("/api/v1/shifts/?from=2026-11-27&to=2026-11-27").json()["results"]
    assert [s["id"] for s in shifts] == [world["active"].pk]
    assert client.get("/api/v1/shifts/?state=planned").json()["results"][0]["state"] == "planned"
    visits = client.get(f"/api/v1/visits/?area={world['area'].pk}&from=2026-11-28").json()
    assert visits["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/shifts/?from=yesterday",
        "/api/v1/visits/?area=torget",
        "/api/v1/assignments/?valid_on=2026-13-01",
        "/api/v1/presence/",
        "/api/v1/presence/?first=2026-11-10&last=2026-11-01",
        "/api/v1/presence/?first=2020-01-01&last=2026-11-01",
    ],
)
def test_bad_filters_are_a_400_with_a_message(client_as, db, url):
    response = client_as("chief").get(url)
    assert response.status_code == 400
    assert response.json()


# --- Writes


def test_a_bad_boundary_is_a_400_in_swedish(client_as, db):
    response = client_as("chief").post(
        "/api/v1/areas/",
        {"name": "Fel", "kind": "park", "boundary": {"type": "Point", "coordinates": [16, 59]}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Polygon" in response.json()["boundary"][0]
    assert not Area.objects.exists()


def test_the_chief_updates_and_deactivates_an_area(client_as, world):
    response = client_as("chief").patch(
        f"/api/v1/areas/{world['area'].pk}/",
        {"notes": "Ny anledning.", "active": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    world["area"].refresh_from_db()
    assert (world["area"].notes, world["area"].active) == ("Ny anledning.", False)


def test_an_overlapping_shift_is_a_400_naming_the_host(client_as, world, persona):
    response = client_as("chief").post(
        "/api/v1/shifts/",
        {
            "planned_start": "2026-11-27T23:00:00+01:00",
            "planned_end": "2026-11-28T04:00:00+01:00",
            "hosts": [persona("host").pk, UserFactory(roles=[Role.HOST]).pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert str(persona("host")) in message and "två pass samtidigt" in message
    assert Shift.objects.count() == 2  # the world's two


def test_the_chief_changes_cancels_and_copies_shifts(client_as, persona):
    shift = make_shift(hosts=[persona("host")], start=FRIDAY_21)
    client = client_as("chief")
    changed = client.patch(
        f"/api/v1/shifts/{shift.pk}/",
        {"vehicle": VehicleFactory().pk},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["vehicle"] is not None
    copied = client.post(
        "/api/v1/shifts/copy-week/",
        {"week": "2026-11-23", "to_week": "2026-11-30"},
        content_type="application/json",
    )
    assert copied.status_code == 201
    assert len(copied.json()) == 1
    cancelled = client.post(f"/api/v1/shifts/{shift.pk}/cancel/")
    assert cancelled.json()["state"] == ShiftState.CANCELLED


def test_a_host_records_arrival_dialogues_and_leaving(client_as, world):
    with time_machine.travel(DURING, tick=False):
        client = client_as("host")
        key = str(uuid.uuid4())
        body = {"shift": world["active"].pk, "area": AreaFactory().pk, "client_key": key}
        first = client.post("/api/v1/visits/", body, content_type="application/json")
        again = client.post("/api/v1/visits/", body, content_type="application/json")
        assert (first.status_code, again.status_code) == (201, 200)
        visit_id = first.json()["id"]
        tap = {"client_key": str(uuid.uuid4())}
        for _ in range(2):
            counted = client.post(
                f"/api/v1/visits/{visit_id}/dialogue/", tap, content_type="application/json"
            )
        assert counted.json()["dialogues"] == 1
        left = client.post(f"/api/v1/visits/{visit_id}/leave/", {}, content_type="application/json")
    assert left.json()["left_at"] is not None


def test_a_host_cannot_record_on_another_hosts_shift(client_as, world):
    other = make_shift(hosts=[UserFactory(roles=[Role.HOST])], start=FRIDAY_21, active=True)
    other_visit = Visit.objects.create(
        shift=other, area=world["area"], arrived_at=FRIDAY_21, recorded_by=other.hosts.first()
    )
    with time_machine.travel(DURING, tick=False):
        client = client_as("host")
        arrive = client.post(
            "/api/v1/visits/",
            {"shift": other.pk, "area": world["area"].pk},
            content_type="application/json",
        )
        leave = client.post(f"/api/v1/visits/{other_visit.pk}/leave/")
    assert arrive.status_code == 400
    assert leave.status_code == 404


def test_arriving_outside_the_shift_is_a_400(client_as, world):
    with time_machine.travel(DURING, tick=False):
        response = client_as("host").post(
            "/api/v1/visits/",
            {
                "shift": world["active"].pk,
                "area": world["area"].pk,
                "arrived_at": "2026-11-27T18:00:00+01:00",
                "client_key": str(uuid.uuid4()),
            },
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_presence_figures(client_as, world):
    world["visit"].left_at = FRIDAY_21 + timedelta(minutes=45)
    world["visit"].save()
    data = (
        client_as("report_client").get("/api/v1/presence/?first=2026-11-27&last=2026-11-27").json()
    )
    [row] = data["results"]
    assert (row["area_name"], row["planned_minutes"], row["present_minutes"]) == ("Torget", 300, 45)
    assert data["coverage_percent"] == 15
    assert data["nights_missed"] == 0


# --- Query counts


def more_of_everything(count: int):
    for _ in range(count):
        host = UserFactory.create(roles=[Role.HOST])
        area = AreaFactory.create()
        AssignmentFactory(area=area)
        shift = make_shift(
            hosts=[host, UserFactory(roles=[Role.HOST])], start=FRIDAY_21, active=True
        )
        Visit.objects.create(shift=shift, area=area, arrived_at=FRIDAY_21, recorded_by=host)


@pytest.mark.parametrize("role", ["chief", "partner", "report_client"])
@pytest.mark.parametrize("url", [*LISTS, "/api/v1/presence/?first=2026-11-20&last=2026-11-27"])
def test_api_lists_have_a_fixed_query_count(client_as, db, role, url):
    more_of_everything(1)
    assert_fixed_query_count(client_as(role), url, lambda: more_of_everything(5))


def test_schema_lists_the_patrols_routes(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in ["areas", "assignments", "shifts", "visits", "presence"]:
        assert f"/api/v1/{path}/" in schema["paths"]
