import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from properties.models import Deviation, DeviationState, Property, PropertyCheck
from properties.selectors import property_figures
from properties.services import deviation_transition
from tests.jobs import run_queued_jobs
from tests.patrols.factories import make_shift
from tests.properties.conftest import png_bytes
from tests.properties.factories import PropertyFactory, check

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def on_shift(persona):
    host = persona("host")
    make_shift(hosts=[host], active=True)
    return host


def check_url(building):
    return reverse("properties:property-check", args=[building.pk])


# Access notes: only the chief and a host on an active shift.


def test_chief_sees_access_notes(client_as, own_building):
    assert (
        "larmkod 4711" in client_as("chief").get(own_building.get_absolute_url()).content.decode()
    )


def test_owner_does_not_see_access_notes(client_as, own_building):
    page = client_as("owner").get(own_building.get_absolute_url()).content.decode()
    assert "Vallbyskolan" in page
    assert "4711" not in page


def test_host_on_a_shift_sees_access_notes(client_as, on_shift, own_building):
    assert "larmkod 4711" in client_as("host").get(check_url(own_building)).content.decode()


def test_host_without_a_shift_sees_no_access_notes_and_no_form(client_as, own_building):
    page = client_as("host").get(check_url(own_building)).content.decode()
    assert "4711" not in page
    assert "Starta ditt pass" in page
    assert 'name="all_ok"' not in page


# The check from the phone.


def test_one_tap_all_in_order(client_as, on_shift, own_building):
    key = str(uuid.uuid4())
    client = client_as("host")
    response = client.post(check_url(own_building), {"client_key": key, "all_ok": "1"})
    assert response.status_code == 302
    assert response.url == reverse("properties:round")
    made = PropertyCheck.objects.get()
    assert made.ok and made.checked_by == on_shift
    assert set(made.results) == set(own_building.checklist)
    # The phone sends it again over a bad connection: still one check.
    assert (
        client.post(check_url(own_building), {"client_key": key, "all_ok": "1"}).status_code == 302
    )
    assert PropertyCheck.objects.count() == 1


def item_by_item(building, failed=(), **extra):
    data = {"client_key": str(uuid.uuid4())}
    for item in building.checklist:
        data[f"item_{item}"] = "fail" if item in failed else "ok"
    return {**data, **extra}


def test_item_by_item_with_a_deviation_and_photos(client_as, on_shift, own_building):
    data = item_by_item(
        own_building,
        failed=["windows"],
        description="Fönster på glänt mot skolgården.",
        actions=["secured"],
        photos=[
            SimpleUploadedFile("1.png", png_bytes(), "image/png"),
            SimpleUploadedFile("2.png", png_bytes(), "image/png"),
        ],
    )
    response = client_as("host").post(check_url(own_building), data)
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.items == ["windows"]
    assert deviation.photos.count() == 2
    assert run_queued_jobs() == ["properties.tasks.deviation_email"]
    assert len(mail.outbox) == 1


def test_a_deviation_without_what_was_done_is_refused_with_a_message(
    client_as, on_shift, own_building
):
    response = client_as("host").post(
        check_url(own_building), item_by_item(own_building, ["alarm"])
    )
    assert response.status_code == 400
    assert "Berätta vad du gjorde" in response.content.decode()
    assert not PropertyCheck.objects.exists()


def test_all_in_order_after_marking_a_fault_keeps_the_fault(client_as, on_shift, own_building):
    data = item_by_item(own_building, ["locked"], all_ok="1")
    response = client_as("host").post(check_url(own_building), data)
    assert response.status_code == 400
    assert "spara kontrollen i stället" in response.content.decode()
    assert not PropertyCheck.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(client_as, on_shift, own_building):
    data = item_by_item(
        own_building,
        ["damage"],
        actions=["reported_only"],
        photos=[SimpleUploadedFile("x.jpg", b"%PDF-1.4", "image/jpeg")],
    )
    response = client_as("host").post(check_url(own_building), data)
    assert response.status_code == 400
    assert "inte en bild" in response.content.decode()
    assert not PropertyCheck.objects.exists()


# Follow-up on the page.


def test_owner_acknowledges_then_resolves_with_a_note(client_as, persona, own_deviation):
    client = client_as("owner")
    url = reverse("properties:deviation-step", args=[own_deviation.pk])
    assert client.post(url, {"state": "acknowledged"}).status_code == 302
    response = client.post(url, {"state": "resolved", "note": ""})
    assert response.status_code == 400
    assert "Skriv vad som gjorts" in response.content.decode()
    assert client.post(url, {"state": "resolved", "note": "Låset bytt."}).status_code == 302
    own_deviation.refresh_from_db()
    assert own_deviation.state == DeviationState.RESOLVED
    page = client.get(own_deviation.get_absolute_url()).content.decode()
    assert "Låset bytt." in page
    assert str(persona("owner")) in page


def test_acknowledging_twice_says_so(client_as, own_deviation):
    client = client_as("owner")
    url = reverse("properties:deviation-step", args=[own_deviation.pk])
    client.post(url, {"state": "acknowledged"})
    response = client.post(url, {"state": "acknowledged"})
    assert response.status_code == 400
    assert "redan kvitterad" in response.content.decode()


def test_owner_lists_only_own_departments_deviations(client_as, own_deviation, other_deviation):
    page = client_as("owner").get(reverse("properties:deviation-list")).content.decode()
    assert "Vallbyskolan" in page
    assert "Råby bibliotek" not in page


def test_owner_start_panel_shows_own_deviations(client_as, own_deviation, other_deviation):
    page = client_as("owner").get("/start/").content.decode()
    assert "Avvikelser vid byggnaderna" in page
    assert "Vallbyskolan" in page
    assert "Råby bibliotek" not in page


def test_host_start_panel_offers_the_round(client_as, own_building):
    with time_machine.travel(datetime(2026, 11, 27, 23, 0, tzinfo=STHLM), tick=False):
        page = client_as("host").get("/start/").content.decode()
    assert "Öppna kvällens rond" in page
    assert "byggnad att kontrollera" in page


@pytest.mark.parametrize(
    ("query", "nearest_first"),
    [
        ("?lat=59.61&lon=16.545", True),
        ("?lat=48.85&lon=2.35", False),
        ("?lat=1e308&lon=16.5", False),
        ("?lat=NaN&lon=16.5", False),
        ("?lat=59.61", False),
        ("", False),
    ],
)
def test_the_round_is_sorted_from_a_position_in_sweden_only(
    client_as, own_building, query, nearest_first
):
    response = client_as("host").get(reverse("properties:round") + query)
    assert response.status_code == 200
    assert response.context["sorted_by_distance"] is nearest_first


def test_overdue_deviations_are_marked(client_as, settings, own_deviation):
    settings.DEVIATION_OVERDUE_DAYS = 14
    url = reverse("properties:deviation-list")
    assert "Försenad" not in client_as("chief").get(url).content.decode()
    Deviation.objects.update(found_at=own_deviation.found_at - timedelta(days=15))
    assert "Försenad" in client_as("chief").get(url).content.decode()
    assert "Försenad" in client_as("owner").get(url + "?overdue=on").content.decode()


def test_a_bad_filter_is_a_400_with_a_message(client_as):
    response = client_as("chief").get(reverse("properties:deviation-list") + "?state=nonsense")
    assert response.status_code == 400
    response = client_as("chief").get(
        reverse("properties:figures") + "?first=2026-02-01&last=2026-01-01"
    )
    assert response.status_code == 400
    assert "Perioden måste börja" in response.content.decode()


# The register.


def test_chief_creates_a_building(client_as, department):
    data = {
        "name": "Nya förskolan",
        "address": "Lärkgatan 3",
        "department": department.pk,
        "priority": 2,
        "latitude": "59.61",
        "longitude": "16.55",
        "closes_monday": "17:30",
        "closes_friday": "16:00",
        "closed_dates": "2026-12-24, 2026-12-31",
        "checklist": ["locked", "windows"],
        "active": "on",
    }
    response = client_as("chief").post(reverse("properties:property-create"), data)
    assert response.status_code == 302
    page = client_as("chief").get(response.url).content.decode()
    assert "Nya förskolan" in page


@pytest.mark.parametrize(
    ("position", "message"),
    [
        ({"latitude": "48.85", "longitude": "2.35"}, "utanför Sverige"),
        ({"latitude": "1e308", "longitude": "16.5"}, "mellan -90 och 90"),
        ({"latitude": "59.6", "longitude": "NaN"}, "mellan -180 och 180"),
        ({"latitude": "", "longitude": ""}, "obligatoriskt"),
    ],
)
def test_a_building_is_somewhere_in_sweden(client_as, department, position, message):
    data = {
        "name": "Nya förskolan",
        "address": "Lärkgatan 3",
        "department": department.pk,
        "priority": 2,
        "checklist": ["locked"],
        **position,
    }
    response = client_as("chief").post(reverse("properties:property-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Property.objects.filter(name="Nya förskolan").exists()


def test_names_are_unique_whatever_the_case(client_as, own_building, department):
    data = {
        "name": "VALLBYSKOLAN",
        "address": "x",
        "department": department.pk,
        "priority": 2,
        "latitude": "59.6",
        "longitude": "16.5",
        "checklist": ["locked"],
    }
    response = client_as("chief").post(reverse("properties:property-create"), data)
    assert response.status_code == 400
    assert "Det finns redan en byggnad" in response.content.decode()


# Query counts: the same number of queries for one row and for six.


def _count(client, url) -> int:
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("host", "properties:round"),
        ("chief", "properties:property-list"),
        ("owner", "properties:property-list"),
        ("chief", "properties:deviation-list"),
        ("owner", "properties:deviation-list"),
        ("chief", "properties:figures"),
        ("owner", "start"),
    ],
)
def test_list_pages_have_a_fixed_query_count(client_as, persona, department, role, url_name):
    url = reverse(url_name)
    finder = persona("other_host")

    def add_buildings(n):
        for _ in range(n):
            building = PropertyFactory(department=department)
            check(building, finder, failed=["locked"])
            check(PropertyFactory(department=department), finder)

    # Late on a Friday, so that some buildings are due and some checked in the round.
    with time_machine.travel(datetime(2026, 11, 27, 23, 0, tzinfo=STHLM), tick=True):
        client = client_as(role)
        make_shift(hosts=[finder], start=datetime(2026, 11, 27, 20, tzinfo=STHLM), active=True)
        add_buildings(1)
        first = _count(client, url)
        add_buildings(5)
        assert _count(client, url) == first


# Figures: computed by PostgreSQL.


def test_figures_per_night_property_and_department(persona, finder, department, other_department):
    school = PropertyFactory(name="Skolan", department=department)
    library = PropertyFactory(name="Biblioteket", department=other_department)
    friday = datetime(2026, 11, 27, 21, 0, tzinfo=STHLM)
    with time_machine.travel(friday + timedelta(hours=2), tick=False):
        make_shift(hosts=[finder], start=friday, hours=6, active=True)
        check(school, finder)
        check(library, finder)
    with time_machine.travel(
        friday + timedelta(hours=4), tick=False
    ):  # 01:00, still Friday's night
        fault = check(school, finder, failed=["graffiti"]).deviation
    with time_machine.travel(friday + timedelta(hours=4, days=2), tick=False):
        deviation_transition(deviation=fault, to="acknowledged", by=persona("owner"))
        deviation_transition(deviation=fault, to="resolved", by=persona("owner"), note="Sanerat.")

    figures = property_figures(
        user=persona("chief"), first_night=date(2026, 11, 26), last_night=date(2026, 11, 28)
    )
    assert [(n["night"], n["checks"], n["deviations"]) for n in figures.nights] == [
        (date(2026, 11, 26), 0, 0),
        (date(2026, 11, 27), 3, 1),
        (date(2026, 11, 28), 0, 0),
    ]
    assert figures.totals == {"checks": 3, "deviations": 1, "share": pytest.approx(1 / 3)}
    per_property = {
        p.name: (p.check_count, p.deviation_count, p.share) for p in figures.per_property
    }
    assert per_property == {"Skolan": (2, 1, 0.5), "Biblioteket": (1, 0, 0.0)}
    assert figures.median_to_resolve == timedelta(days=2)
    assert [(row["department"], row["open"]) for row in figures.per_department] == [
        (department.name, 0)
    ]


def test_figures_for_an_owner_would_only_hold_their_department(persona, finder, other_building):
    check(other_building, finder, failed=["locked"])
    figures = property_figures(
        user=persona("owner"), first_night=date(2020, 1, 1), last_night=date(2030, 1, 1)
    )
    assert figures.totals["checks"] == 0
    assert figures.per_department == []


def test_the_owners_deviations_link_from_the_building(client_as, own_deviation):
    page = client_as("owner").get(reverse("properties:deviation-list")).content.decode()
    link = f'<a href="{own_deviation.get_absolute_url()}">{own_deviation.property.name}</a>'
    assert link in page
    found = own_deviation.found_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert date_format(found, "j b Y H:i") in page
    assert found.strftime("%Y-%m-%d") not in page
