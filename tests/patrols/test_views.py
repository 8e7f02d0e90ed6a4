"""The chief's planning pages and the host's night, for every role."""

import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from patrols.models import Area, Assignment, PhoneLine, Shift, ShiftState, Vehicle, Visit
from tests.access import DONE, LOGIN, assert_answer, by_role
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

CHIEF_ONLY = by_role(
    anonymous=LOGIN,
    chief=200,
    host=403,
    owner=403,
    dpo=403,
    partner=403,
    report_client=LOGIN,
    admin=200,
)
HOSTS_ONLY = by_role(
    anonymous=LOGIN,
    chief=403,
    host=200,
    owner=403,
    dpo=403,
    partner=403,
    report_client=LOGIN,
    admin=200,
)


def chief_pages(world):
    return [
        reverse("patrols:area-list"),
        reverse("patrols:area-create"),
        reverse("patrols:area-update", args=[world["area"].pk]),
        reverse("patrols:assignment-list"),
        reverse("patrols:assignment-create"),
        reverse("patrols:assignment-update", args=[world["assignment"].pk]),
        reverse("patrols:shift-week") + "?week=2026-11-23",
        reverse("patrols:shift-create"),
        reverse("patrols:shift-update", args=[world["planned"].pk]),
        reverse("patrols:presence"),
        reverse("patrols:resources"),
        reverse("patrols:resource-create", args=["vehicle"]),
        reverse("patrols:resource-update", args=["vehicle", world["vehicle"].pk]),
        reverse("patrols:resource-create", args=["phone-line"]),
    ]


@time_machine.travel(DURING, tick=False)
@pytest.mark.parametrize(("role", "expected"), CHIEF_ONLY)
def test_chief_pages_by_role(client_as, world, role, expected):
    client = client_as(role)
    for url in chief_pages(world):
        assert_answer(client.get(url), expected)


@time_machine.travel(DURING, tick=False)
@pytest.mark.parametrize(("role", "expected"), HOSTS_ONLY)
def test_host_pages_by_role(client_as, world, role, expected):
    client = client_as(role)
    urls = [
        reverse("patrols:my-shifts"),
        reverse("patrols:area-here") + "?lat=59.602&lon=16.502",
        reverse("patrols:shift-end", args=[world["active"].pk]),
    ]
    for url in urls:
        assert_answer(client.get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=403,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
    ),
)
def test_planning_actions_by_role(client_as, world, role, expected):
    client = client_as(role)
    area, assignment, planned = world["area"], world["assignment"], world["planned"]
    week = reverse("patrols:shift-week") + "?week=2026-11-30"
    for response, done in [
        (
            client.post(reverse("patrols:area-active", args=[area.pk]), {"active": "0"}),
            reverse("patrols:area-update", args=[area.pk]),
        ),
        (
            client.post(reverse("patrols:assignment-end", args=[assignment.pk])),
            reverse("patrols:assignment-list"),
        ),
        (client.post(reverse("patrols:shift-cancel", args=[planned.pk])), week),
        (
            client.post(
                reverse("patrols:shift-copy"), {"week": "2026-11-23", "to_week": "2026-11-30"}
            ),
            week,
        ),
    ]:
        assert_answer(response, expected, done=done)
    area.refresh_from_db()
    assignment.refresh_from_db()
    planned.refresh_from_db()
    # The active shift's copy starts when the cancelled one did, a week after it.
    copies = Shift.objects.filter(
        planned_start=world["active"].planned_start + timedelta(days=7), state=ShiftState.PLANNED
    ).exclude(pk=planned.pk)
    worked = expected == DONE
    assert (
        area.active,
        assignment.valid_to is not None,
        planned.state == ShiftState.CANCELLED,
        copies.exists(),
    ) == (not worked, worked, worked, worked)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=DONE,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
    ),
)
def test_night_actions_by_role(client_as, world, role, expected):
    visit = world["visit"]
    park = AreaFactory(name="Parken", boundary=square(16.52, 59.60))
    with time_machine.travel(DURING, tick=False):
        client = client_as(role)
        dialogue = client.post(
            reverse("patrols:visit-dialogue", args=[visit.pk]),
            {"delta": 1, "client_key": uuid.uuid4()},
        )
        leave = client.post(reverse("patrols:visit-leave", args=[visit.pk]))
        arrive = client.post(
            reverse("patrols:visit-arrive"), {"area": park.pk, "client_key": uuid.uuid4()}
        )
    tonight = reverse("start") + "#tonight"
    if role == "admin":
        # The administrator may use the pages but is no host on these shifts: the visit is a
        # 404, and arriving sends them back with the reason.
        assert (dialogue.status_code, leave.status_code) == (404, 404)
        assert_answer(arrive, DONE, done=tonight)
        assert [str(m) for m in get_messages(arrive.wsgi_request)] == [
            "Starta passet och välj ett område."
        ]
    else:
        for response in (dialogue, leave, arrive):
            assert_answer(response, expected, done=tonight)
    visit.refresh_from_db()
    worked = role == "host"
    assert (
        visit.dialogues,
        visit.left_at is not None,
        Visit.objects.filter(area=park).exists(),
    ) == ((1, True, True) if worked else (0, False, False))


def test_planning_pages_are_swedish(client_as, world):
    page = client_as("chief").get(reverse("patrols:assignment-list")).content.decode()
    assert "Uppdrag" in page


# --- Another host's shift


@pytest.fixture
def other_hosts_shift(persona):
    shift = make_shift(hosts=[persona("other_host")], start=FRIDAY_21, active=True)
    visit = Visit.objects.create(
        shift=shift, area=AreaFactory(), arrived_at=FRIDAY_21, recorded_by=persona("other_host")
    )
    return shift, visit


def test_another_hosts_shift_page_is_not_found(client_as, other_hosts_shift):
    shift, _visit = other_hosts_shift
    assert client_as("host").get(reverse("patrols:shift-end", args=[shift.pk])).status_code == 404


def test_starting_another_hosts_shift_says_why_not(client_as, persona):
    shift = make_shift(hosts=[persona("other_host")], start=FRIDAY_21)
    with time_machine.travel(FRIDAY_21):
        response = client_as("host").post(
            reverse("patrols:shift-start", args=[shift.pk]), follow=True
        )
    assert "inte med i det här passet" in response.content.decode()
    shift.refresh_from_db()
    assert shift.state == ShiftState.PLANNED


def test_ending_another_hosts_shift_says_why_not(client_as, other_hosts_shift):
    shift, _visit = other_hosts_shift
    response = client_as("host").post(
        reverse("patrols:shift-end", args=[shift.pk]), {"summary": "Hej"}, follow=True
    )
    assert "inte med i det här passet" in response.content.decode()
    shift.refresh_from_db()
    assert shift.state == ShiftState.ACTIVE


@pytest.mark.parametrize("action", ["visit-leave", "visit-dialogue"])
def test_another_hosts_visit_is_not_found(client_as, other_hosts_shift, action):
    _shift, visit = other_hosts_shift
    response = client_as("host").post(
        reverse(f"patrols:{action}", args=[visit.pk]), {"delta": 1, "client_key": uuid.uuid4()}
    )
    assert response.status_code == 404
    visit.refresh_from_db()
    assert (visit.left_at, visit.dialogues) == (None, 0)


# --- The host's night


def test_the_host_starts_a_shift_from_the_start_page(client_as, persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=FRIDAY_21)
    car = VehicleFactory()
    line = PhoneLine.objects.first()
    with time_machine.travel(FRIDAY_21 - timedelta(minutes=20)):
        page = client_as("host").get(reverse("start")).content.decode()
        assert "Starta passet" in page
        response = client_as("host").post(
            reverse("patrols:shift-start", args=[shift.pk]),
            {"vehicle": car.pk, "phone_line": line.pk},
            follow=True,
        )
    shift.refresh_from_db()
    assert (shift.state, shift.vehicle, shift.phone_line) == (ShiftState.ACTIVE, car, line)
    assert "Avsluta passet" in response.content.decode()


def test_a_shift_far_ahead_says_when_it_can_be_started(client_as, persona):
    make_shift(hosts=[persona("host")], start=FRIDAY_21)
    with time_machine.travel(FRIDAY_21 - timedelta(hours=5)):
        page = client_as("host").get(reverse("start")).content.decode()
    assert "Starta passet</button>" not in page
    assert "19:00" in page


@time_machine.travel(DURING, tick=False)
def test_tonights_areas_show_on_the_start_page_in_priority_order(client_as, world):
    AssignmentFactory(area=AreaFactory(name="Parken"), priority=3)
    page = client_as("host").get(reverse("start")).content.decode()
    assert page.index("Torget") < page.index("Parken")
    assert "Här sedan 21:00" in page


@time_machine.travel(DURING, tick=False)
def test_arrived_left_and_dialogues_with_htmx(client_as, world):
    client = client_as("host")
    park = AreaFactory(name="Parken")
    response = client.post(
        reverse("patrols:visit-arrive"),
        {"area": park.pk, "client_key": uuid.uuid4()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="tonight"' in response.content.decode()
    visit = Visit.objects.get(area=park, left_at__isnull=True)
    # Arriving in the park left the square.
    world["visit"].refresh_from_db()
    assert world["visit"].left_at is not None
    key = uuid.uuid4()
    for _ in range(2):
        client.post(
            reverse("patrols:visit-dialogue", args=[visit.pk]),
            {"delta": 1, "client_key": key},
            headers={"HX-Request": "true"},
        )
    visit.refresh_from_db()
    assert visit.dialogues == 1
    response = client.post(reverse("patrols:visit-leave", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.left_at is not None


@time_machine.travel(DURING, tick=False)
def test_a_refused_tap_shows_the_reason_in_the_panel(client_as, world):
    response = client_as("host").post(
        reverse("patrols:visit-arrive"),
        {"area": AreaFactory(active=False).pk, "client_key": uuid.uuid4()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()


@time_machine.travel(DURING, tick=False)
def test_the_position_suggests_the_area(client_as, world):
    here = client_as("host").get(reverse("patrols:area-here"), {"lat": 59.602, "lon": 16.502})
    nowhere = client_as("host").get(reverse("patrols:area-here"), {"lat": 59.9, "lon": 16.9})
    no_position = client_as("host").get(reverse("patrols:area-here"))
    assert "Torget" in here.content.decode()
    assert nowhere.status_code == 200
    assert "Torget" not in nowhere.content.decode()
    assert no_position.status_code == 200


@pytest.mark.parametrize(
    "position",
    [{"lat": "NaN", "lon": "16.502"}, {"lat": "1e308", "lon": "16.502"}, {"lat": "59.602"}],
    ids=["nan", "huge", "half"],
)
@time_machine.travel(DURING, tick=False)
def test_a_position_the_rule_refuses_asks_the_host_to_choose(client_as, world, position):
    response = client_as("host").get(reverse("patrols:area-here"), position)
    assert response.status_code == 200
    assert "Välj området själv" in response.content.decode()


@time_machine.travel(DURING, tick=False)
def test_ending_needs_a_summary_and_then_ends(client_as, world):
    url = reverse("patrols:shift-end", args=[world["active"].pk])
    client = client_as("host")
    response = client.post(url, {"summary": ""})
    assert response.status_code == 200
    assert "sammanfattning" in response.content.decode()
    response = client.post(url, {"summary": "Lugnt."})
    assert response.status_code == 302
    world["active"].refresh_from_db()
    assert world["active"].state == ShiftState.CLOSED
    follow = client.post(url, {"summary": "Igen."}, follow=True)
    assert "redan avslutats" in follow.content.decode()


# --- The chief's pages


def test_the_chief_saves_an_area(client_as, db):
    response = client_as("chief").post(
        reverse("patrols:area-create"),
        {
            "name": "Torget",
            "kind": "centre",
            "notes": "",
            "boundary": json.dumps(square(16.5, 59.6)),
        },
    )
    assert response.status_code == 302
    assert Area.objects.get().name == "Torget"


@pytest.mark.parametrize(
    ("boundary", "words"),
    [
        ("", "Rita området på kartan"),
        (json.dumps({"type": "Point", "coordinates": [16.5, 59.6]}), "Polygon"),
        ('{"type": "Polygon", "coordinates": [[[16.5, 59.6], [16.6, 59.7]', "GeoJSON"),
    ],
)
def test_a_bad_boundary_is_explained_and_nothing_saved(client_as, db, boundary, words):
    response = client_as("chief").post(
        reverse("patrols:area-create"), {"name": "Torget", "kind": "centre", "boundary": boundary}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Area.objects.exists()


def test_the_chief_takes_an_area_out_of_use(client_as, db):
    area = AreaFactory()
    client_as("chief").post(reverse("patrols:area-active", args=[area.pk]), {"active": "0"})
    area.refresh_from_db()
    assert not area.active


def test_the_chief_saves_an_assignment_across_midnight(client_as, db):
    area = AreaFactory()
    response = client_as("chief").post(
        reverse("patrols:assignment-create"),
        {
            "area": area.pk,
            "reason": "Bråk vid krogstängning.",
            "priority": 1,
            "weekdays": ["4", "5"],
            "start_time": "21:00",
            "end_time": "02:00",
            "valid_from": "2026-11-01",
            "consulted_with": "police",
            "consulted_on": "2026-10-28",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.weekdays == [4, 5]
    assert assignment.window.crosses_midnight


def test_an_assignment_ending_before_it_starts_is_explained(client_as, db):
    response = client_as("chief").post(
        reverse("patrols:assignment-create"),
        {
            "area": AreaFactory().pk,
            "reason": "Oro.",
            "priority": 2,
            "weekdays": ["4"],
            "start_time": "21:00",
            "end_time": "23:00",
            "valid_from": "2026-11-10",
            "valid_to": "2026-11-01",
            "consulted_with": "police",
            "consulted_on": "2026-10-28",
        },
    )
    assert response.status_code == 200
    assert "kan inte sluta innan" in response.content.decode()


def test_the_chief_plans_a_shift_across_midnight(client_as, persona):
    host = persona("host")
    response = client_as("chief").post(
        reverse("patrols:shift-create"),
        {"day": "2026-10-24", "start": "21:00", "end": "03:00", "hosts": [host.pk]},
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.planned_end - shift.planned_start == timedelta(hours=7)
    assert response.url.endswith("?week=2026-10-19")


def test_an_overlapping_shift_is_a_form_error_not_a_500(client_as, persona):
    host = persona("host")
    make_shift(hosts=[host], start=FRIDAY_21)
    response = client_as("chief").post(
        reverse("patrols:shift-create"),
        {"day": "2026-11-27", "start": "23:00", "end": "04:00", "hosts": [host.pk]},
    )
    assert response.status_code == 200
    assert "två pass samtidigt" in response.content.decode()
    assert Shift.objects.count() == 1


def test_the_chief_copies_a_week(client_as, persona):
    make_shift(hosts=[persona("host")], start=FRIDAY_21)
    response = client_as("chief").post(
        reverse("patrols:shift-copy"), {"week": "2026-11-23", "to_week": "2026-11-30"}
    )
    assert response.status_code == 302
    assert Shift.objects.count() == 2


def test_the_chief_changes_and_cancels_a_planned_shift(client_as, persona):
    shift = make_shift(hosts=[persona("host")], start=FRIDAY_21)
    client = client_as("chief")
    client.post(
        reverse("patrols:shift-update", args=[shift.pk]),
        {
            "day": "2026-11-27",
            "start": "20:00",
            "end": "02:00",
            "hosts": [persona("other_host").pk],
        },
    )
    shift.refresh_from_db()
    assert list(shift.hosts.all()) == [persona("other_host")]
    client.post(reverse("patrols:shift-cancel", args=[shift.pk]))
    shift.refresh_from_db()
    assert shift.state == ShiftState.CANCELLED


def test_the_chief_adds_a_vehicle(client_as, db):
    response = client_as("chief").post(
        reverse("patrols:resource-create", args=["vehicle"]),
        {"name": "Trygghetsbil 3", "registration": "ABC 12D", "active": "on"},
    )
    assert response.status_code == 302
    assert Vehicle.objects.get().name == "Trygghetsbil 3"


def test_an_unknown_resource_is_not_found(client_as, db):
    assert client_as("chief").get("/patrols/resources/boat/new/").status_code == 404


def test_presence_page_shows_the_figures_and_refuses_a_bad_period(client_as, world):
    # Every request runs under the frozen clock: the session signed in at that time expires
    # 14 hours later, whatever day the machine's own clock says it is.
    with time_machine.travel(FRIDAY_21 + timedelta(hours=3)):
        client = client_as("chief")
        page = client.get(reverse("patrols:presence")).content.decode()
        bad = client.get(reverse("patrols:presence"), {"first": "2026-11-10", "last": "2026-11-01"})
        long = client.get(
            reverse("patrols:presence"), {"first": "2024-01-01", "last": "2026-11-01"}
        )
    assert "Torget" in page
    assert bad.status_code == 200
    assert "inte vara före" in bad.content.decode()
    assert "högst 366 nätter" in long.content.decode()


# --- Query counts: a list costs the same with one row and with six


def more_of_everything(count: int, *, start=FRIDAY_21):
    for _ in range(count):
        area = AreaFactory.create()
        AssignmentFactory(area=area)
        VehicleFactory()
        host = UserFactory.create(roles=[Role.HOST])
        shift = make_shift(hosts=[host], start=start, active=True)
        Visit.objects.create(shift=shift, area=area, arrived_at=start, recorded_by=host)


@pytest.mark.parametrize(
    "page", ["area-list", "assignment-list", "shift-week", "presence", "resources"]
)
def test_chief_lists_have_a_fixed_query_count(client_as, db, page):
    more_of_everything(1)
    url = reverse(f"patrols:{page}") + ("?week=2026-11-23" if page == "shift-week" else "")
    with time_machine.travel(FRIDAY_21 + timedelta(days=2)):
        assert_fixed_query_count(client_as("chief"), url, lambda: more_of_everything(5))


@pytest.mark.parametrize("page", ["start", "patrols:my-shifts"])
def test_host_pages_have_a_fixed_query_count(client_as, persona, page):
    host = persona("host")
    active = make_shift(hosts=[host, persona("other_host")], start=FRIDAY_21, active=True)

    def more(numbers):
        for n in numbers:
            area = AreaFactory()
            AssignmentFactory(area=area)
            Visit.objects.create(
                shift=active,
                area=area,
                arrived_at=FRIDAY_21 + timedelta(minutes=n),
                left_at=None if n == 5 else FRIDAY_21 + timedelta(minutes=n, seconds=30),
                recorded_by=host,
            )
            make_shift(hosts=[host], start=FRIDAY_21 + timedelta(days=n + 1))

    more([0])
    with time_machine.travel(DURING):
        assert_fixed_query_count(client_as("host"), reverse(page), lambda: more(range(1, 6)))


@time_machine.travel(DURING, tick=False)
def test_the_chiefs_start_page_shows_tonight(client_as, world, persona):
    page = client_as("chief").get(reverse("start")).content.decode()
    assert "Torget" in page
    assert str(persona("host")) in page


@time_machine.travel(DURING, tick=False)
def test_the_chiefs_start_page_has_a_fixed_query_count(client_as, db):
    more_of_everything(1)
    assert_fixed_query_count(client_as("chief"), reverse("start"), lambda: more_of_everything(5))
