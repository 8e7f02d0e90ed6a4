import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from properties.models import Deviation, DeviationState, PropertyCheck
from properties.services import deviation_transition
from tests.access import by_role
from tests.jobs import run_queued_jobs
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check

STHLM = ZoneInfo("Europe/Stockholm")
API = "/api/v1/"


def results(response) -> list:
    return response.json()["results"]


# Every role against every route.


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=200,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
@pytest.mark.parametrize("suffix", ["", "?format=geojson"])
def test_properties_access(client_as, role, status, suffix, own_building):
    assert client_as(role).get(f"{API}properties/{suffix}").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=404,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_other_departments_property(client_as, role, status, other_building):
    assert client_as(role).get(f"{API}properties/{other_building.pk}/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=200,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_property_checks_access(client_as, role, status, own_deviation):
    assert client_as(role).get(f"{API}property-checks/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=404,
        owner=404,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_other_departments_check(client_as, role, status, other_deviation):
    url = f"{API}property-checks/{other_deviation.property_check_id}/"
    assert client_as(role).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=200,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_deviations_access(client_as, role, status, own_deviation):
    client = client_as(role)
    assert client.get(f"{API}deviations/").status_code == status
    assert client.get(f"{API}deviations/{own_deviation.pk}/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=404,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_other_departments_deviation(client_as, role, status, other_deviation):
    assert client_as(role).get(f"{API}deviations/{other_deviation.pk}/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=200,
        dpo=403,
        partner=403,
        report_client=403,
        admin=200,
    ),
)
def test_update_own_deviation_state(client_as, role, status, own_deviation):
    response = client_as(role).patch(
        f"{API}deviations/{own_deviation.pk}/",
        {"state": "acknowledged"},
        content_type="application/json",
    )
    assert response.status_code == status
    own_deviation.refresh_from_db()
    assert (own_deviation.state == DeviationState.ACKNOWLEDGED) is (status == 200)


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=404,
        dpo=403,
        partner=403,
        report_client=403,
        admin=200,
    ),
)
def test_update_other_departments_deviation_state(client_as, role, status, other_deviation):
    response = client_as(role).patch(
        f"{API}deviations/{other_deviation.pk}/",
        {"state": "acknowledged"},
        content_type="application/json",
    )
    assert response.status_code == status


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
def test_post_a_check(client_as, role, status, persona, own_building):
    make_shift(hosts=[persona("host")], active=True)
    response = client_as(role).post(
        f"{API}property-checks/",
        {"property": own_building.pk, "all_ok": True, "client_key": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert response.status_code == status


# What the API says.


def test_access_notes_never_leave_through_the_api(client_as, own_building, own_deviation):
    for role in ("chief", "admin", "owner", "host", "report_client"):
        client = client_as(role)
        for url in (
            f"{API}properties/",
            f"{API}properties/{own_building.pk}/",
            f"{API}properties/?format=geojson",
            f"{API}properties/{own_building.pk}/?format=geojson",
            f"{API}deviations/",
            f"{API}property-checks/",
        ):
            body = client.get(url).content.decode()
            assert "4711" not in body and "access_notes" not in body, (role, url)


def test_geojson_is_an_rfc7946_feature_collection(client_as, own_building):
    response = client_as("chief").get(f"{API}properties/?format=geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    feature = collection["features"][0]
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [float(own_building.longitude), float(own_building.latitude)],
    }
    assert feature["properties"]["name"] == "Vallbyskolan"


def test_a_building_has_its_position_under_the_new_and_the_deprecated_names(
    client_as, own_building
):
    own_building.refresh_from_db()
    building = client_as("chief").get(f"{API}properties/{own_building.pk}/").json()
    assert (building["latitude"], building["longitude"]) == (
        format(own_building.latitude, "f"),
        format(own_building.longitude, "f"),
    )
    # The old names, as numbers, for one more API version.
    assert (building["lat"], building["lon"]) == (
        float(own_building.latitude),
        float(own_building.longitude),
    )


def test_the_schema_marks_the_old_position_names_deprecated(client, db):
    schema = client.get(f"{API}schema/?format=json").json()
    fields = schema["components"]["schemas"]["Property"]["properties"]
    assert fields["lat"]["deprecated"] is fields["lon"]["deprecated"] is True
    assert "deprecated" not in fields["latitude"]


def test_owner_lists_only_own_department(client_as, own_deviation, other_deviation):
    client = client_as("owner")
    assert [p["name"] for p in results(client.get(f"{API}properties/"))] == ["Vallbyskolan"]
    assert [d["id"] for d in results(client.get(f"{API}deviations/"))] == [own_deviation.pk]
    checks = results(client.get(f"{API}property-checks/"))
    assert [c["property_name"] for c in checks] == ["Vallbyskolan"]
    # Asking for the other department by filter gives nothing, not its rows.
    other = other_deviation.property.department_id
    assert results(client.get(f"{API}deviations/?department={other}")) == []


def test_deviation_filters(client_as, own_deviation, other_deviation, persona, settings):
    client = client_as("chief")
    deviation_transition(deviation=own_deviation, to="acknowledged", by=persona("chief"))

    def ids(query):
        return [d["id"] for d in results(client.get(f"{API}deviations/{query}"))]

    assert ids("?state=acknowledged") == [own_deviation.pk]
    assert ids(f"?department={other_deviation.property.department_id}") == [other_deviation.pk]
    today = other_deviation.found_at.astimezone(STHLM)
    night = (today - timedelta(hours=12)).date()
    assert len(ids(f"?from={night}&to={night}")) == 2
    assert ids(f"?from={night + timedelta(days=1)}") == []
    assert ids("?overdue=true") == []
    Deviation.objects.filter(pk=other_deviation.pk).update(
        found_at=other_deviation.found_at - timedelta(days=settings.DEVIATION_OVERDUE_DAYS + 1)
    )
    assert ids("?overdue=true") == [other_deviation.pk]
    assert ids("?overdue=false") == [own_deviation.pk]


@pytest.mark.parametrize(
    "query",
    ["?state=lost", "?from=2026-02-30", "?from=2026-03-01&to=2026-02-01", "?department=999999"],
)
def test_bad_filters_are_400_with_a_message(client_as, query):
    response = client_as("chief").get(f"{API}deviations/{query}")
    assert response.status_code == 400
    assert response.json()


def test_resolving_through_the_api_needs_a_note(client_as, own_deviation):
    client = client_as("owner")
    url = f"{API}deviations/{own_deviation.pk}/"
    client.patch(url, {"state": "acknowledged"}, content_type="application/json")
    response = client.patch(url, {"state": "resolved"}, content_type="application/json")
    assert response.status_code == 400
    assert "note" in response.json()
    response = client.patch(
        url, {"state": "resolved", "note": "Lagat."}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "resolved"
    assert [step["state"] for step in body["steps"]] == ["open", "acknowledged", "resolved"]
    assert body["steps"][-1]["note"] == "Lagat."


def test_skipping_a_step_through_the_api_is_refused(client_as, own_deviation):
    response = client_as("owner").patch(
        f"{API}deviations/{own_deviation.pk}/",
        {"state": "resolved", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kan inte bli åtgärdad" in response.json()["state"][0]


def test_posting_a_check_is_retry_safe_and_makes_deviations(client_as, persona, own_building):
    make_shift(hosts=[persona("host")], active=True)
    client = client_as("host")
    body = {
        "property": own_building.pk,
        "results": {item: item != "locked" for item in own_building.checklist},
        "actions": ["locked"],
        "description": "Olåst entré.",
        "client_key": str(uuid.uuid4()),
    }
    first = client.post(f"{API}property-checks/", body, content_type="application/json")
    again = client.post(f"{API}property-checks/", body, content_type="application/json")
    assert run_queued_jobs() == ["properties.tasks.deviation_email"]
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["deviation"] is not None
    assert PropertyCheck.objects.count() == 1
    assert len(mail.outbox) == 1


def test_posting_a_deviation_without_actions_is_400(client_as, persona, own_building):
    make_shift(hosts=[persona("host")], active=True)
    body = {
        "property": own_building.pk,
        "results": {i: False for i in own_building.checklist},
        "client_key": str(uuid.uuid4()),
    }
    response = client_as("host").post(
        f"{API}property-checks/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "actions" in response.json()
    assert not PropertyCheck.objects.exists()


def test_host_reads_only_own_checks(client_as, persona, own_building, own_deviation):
    make_shift(hosts=[persona("host")], active=True)
    mine = check(own_building, persona("host"))
    ids = [c["id"] for c in results(client_as("host").get(f"{API}property-checks/"))]
    assert ids == [mine.pk]


# Fixed query counts on every list.


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("chief", "properties/"),
        ("chief", "properties/?format=geojson"),
        ("owner", "properties/"),
        ("host", "properties/"),
        ("chief", "property-checks/"),
        ("owner", "property-checks/"),
        ("chief", "deviations/"),
        ("owner", "deviations/"),
        ("report_client", "deviations/"),
    ],
)
def test_api_lists_have_a_fixed_query_count(
    client_as, persona, department, role, url, django_assert_num_queries
):
    finder = persona("other_host")
    with time_machine.travel(datetime(2026, 11, 27, 23, 0, tzinfo=STHLM), tick=True):
        client = client_as(role)
        make_shift(hosts=[finder], start=datetime(2026, 11, 27, 20, tzinfo=STHLM), active=True)

        def add(n):
            for _ in range(n):
                deviation = check(PropertyFactory(department=department), finder, failed=["locked"])
                deviation.deviation.steps.create(
                    from_state="open", state="acknowledged", by=persona("chief")
                )

        add(1)
        client.get(API + url)
        with CaptureQueriesContext(connection) as first:
            assert client.get(API + url).status_code == 200
        add(5)
        with django_assert_num_queries(len(first)):
            assert client.get(API + url).status_code == 200


@pytest.mark.parametrize(
    ("role", "shown"),
    [("chief", True), ("owner", True), ("report_client", False)],
)
def test_contact_addresses_are_for_the_municipalitys_staff(
    client_as, role, shown, own_building, department
):
    """A building's or a department's contact address is often a person's own."""
    client = client_as(role)
    buildings = results(client.get(f"{API}properties/"))
    departments = results(client.get(f"{API}departments/"))
    assert ("contact_email" in buildings[0]) is shown
    assert ("contact_email" in departments[0]) is shown
    if shown:
        addresses = {row["contact_email"] for row in departments}
        assert department.contact_email in addresses
