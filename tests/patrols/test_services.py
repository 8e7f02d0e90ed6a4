"""The shift and visit services: the rules a host and the chief meet, on fixed clocks."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from patrols import services
from patrols.models import Assignment, Shift, ShiftHost, ShiftState, Vehicle, Visit
from tests.accounts.factories import UserFactory
from tests.patrols.factories import (
    AreaFactory,
    AssignmentFactory,
    PhoneLineFactory,
    VehicleFactory,
    make_shift,
    square,
)
from trygghet.accounts.roles import Role

STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY_21 = datetime(2026, 11, 27, 21, tzinfo=STHLM).astimezone(UTC)


def periods(shift):
    return [row.period for row in ShiftHost.objects.filter(shift=shift)]


@pytest.fixture
def host(persona):
    return persona("host")


@pytest.fixture
def planned(host, persona):
    return make_shift(hosts=[host, persona("other_host")], start=FRIDAY_21)


@pytest.fixture
def started(planned, host):
    with time_machine.travel(FRIDAY_21, tick=False):
        return services.shift_start(shift=planned, by=host, vehicle=None, phone_line=None)


# --- Planning


def test_the_overlap_error_names_only_the_host_already_booked(host, persona):
    make_shift(hosts=[host], start=FRIDAY_21)
    free = UserFactory(first_name="Fri", last_name="Värd", roles=[Role.HOST])
    with pytest.raises(ValidationError) as raised:
        make_shift(hosts=[free, host], start=FRIDAY_21 + timedelta(hours=2))
    assert str(host) in raised.value.messages[0]
    assert "Fri Värd" not in raised.value.messages[0]
    assert Shift.objects.count() == 1


@pytest.mark.parametrize(
    ("hours", "code"), [(0, "order"), (-2, "order"), (17, "too_long")], ids=str
)
def test_a_shift_needs_a_sane_length(host, hours, code):
    with pytest.raises(ValidationError) as raised:
        services.shift_plan(
            planned_start=FRIDAY_21, planned_end=FRIDAY_21 + timedelta(hours=hours), hosts=[host]
        )
    assert raised.value.code == code


def test_a_shift_needs_a_host(db):
    with pytest.raises(ValidationError, match="minst en värd"):
        services.shift_plan(
            planned_start=FRIDAY_21, planned_end=FRIDAY_21 + timedelta(hours=6), hosts=[]
        )


def test_changing_a_shift_moves_its_hosts_bookings(planned, host, persona):
    later = FRIDAY_21 + timedelta(hours=1)
    services.shift_update(
        shift=planned,
        planned_start=later,
        planned_end=later + timedelta(hours=5),
        hosts=[host],
    )
    assert periods(planned) == [DateTimeTZRange(later, later + timedelta(hours=5))]
    # The host taken off is free at that time again.
    make_shift(hosts=[persona("other_host")], start=FRIDAY_21)


def test_changing_a_shift_into_another_is_refused_with_the_hosts_name(planned, host):
    other = make_shift(hosts=[host], start=FRIDAY_21 + timedelta(days=1))
    with pytest.raises(ValidationError, match=str(host)):
        services.shift_update(
            shift=other,
            planned_start=FRIDAY_21 + timedelta(hours=2),
            planned_end=FRIDAY_21 + timedelta(hours=8),
            hosts=[host],
        )
    other.refresh_from_db()
    assert other.planned_start == FRIDAY_21 + timedelta(days=1)


def test_cancelling_frees_the_hosts_and_can_be_repeated(planned, host):
    services.shift_cancel(shift=planned)
    services.shift_cancel(shift=planned)
    planned.refresh_from_db()
    assert planned.state == ShiftState.CANCELLED
    assert all(row.cancelled for row in planned.shift_hosts.all())
    make_shift(hosts=[host], start=FRIDAY_21)


def test_an_active_shift_is_not_cancelled(started):
    with pytest.raises(ValidationError) as raised:
        services.shift_cancel(shift=started)
    assert raised.value.code == "state"


def test_copying_a_week_keeps_local_times_across_the_clock_change(host, persona):
    # The week before the autumn clock change, copied to the week after it.
    week = date(2026, 10, 19)
    saturday_21 = datetime(2026, 10, 24, 21, tzinfo=STHLM)
    make_shift(hosts=[host], start=saturday_21, hours=6, vehicle=VehicleFactory())
    cancelled = make_shift(hosts=[persona("other_host")], start=saturday_21)
    services.shift_cancel(shift=cancelled)
    [copy] = services.shift_week_copy(week=week, to_week=week + timedelta(weeks=1), created_by=host)
    start, end = copy.planned_start.astimezone(STHLM), copy.planned_end.astimezone(STHLM)
    assert (start.date(), start.time(), end.time()) == (date(2026, 10, 31), time(21), time(3))
    assert list(copy.hosts.all()) == [host]
    assert copy.vehicle is not None and copy.state == ShiftState.PLANNED


def test_copying_a_week_twice_copies_nothing_the_second_time(planned, host):
    week = date(2026, 11, 23)
    services.shift_week_copy(week=week, to_week=week + timedelta(weeks=1), created_by=host)
    with pytest.raises(ValidationError, match="två pass samtidigt"):
        services.shift_week_copy(week=week, to_week=week + timedelta(weeks=1), created_by=host)
    assert Shift.objects.count() == 2


@pytest.mark.parametrize(
    ("week", "to_week"),
    [(date(2026, 11, 23), date(2026, 11, 23)), (date(2026, 11, 24), date(2026, 12, 1))],
)
def test_copying_needs_two_different_mondays(host, week, to_week):
    with pytest.raises(ValidationError):
        services.shift_week_copy(week=week, to_week=to_week, created_by=host)


# --- Starting and ending


def test_starting_records_the_time_car_and_phone_and_moves_the_booking(planned, host):
    car, line = VehicleFactory(), PhoneLineFactory()
    early = FRIDAY_21 - timedelta(minutes=30)
    with time_machine.travel(early, tick=False):
        shift = services.shift_start(shift=planned, by=host, vehicle=car, phone_line=line)
    assert (shift.state, shift.actual_start, shift.vehicle, shift.phone_line) == (
        ShiftState.ACTIVE,
        early,
        car,
        line,
    )
    assert set(periods(shift)) == {DateTimeTZRange(early, planned.planned_end)}


def test_someone_elses_shift_cannot_be_started(planned, persona):
    outsider = UserFactory(roles=[Role.HOST])
    with time_machine.travel(FRIDAY_21), pytest.raises(ValidationError) as raised:
        services.shift_start(shift=planned, by=outsider, vehicle=None, phone_line=None)
    assert raised.value.code == "not_yours"
    assert "inte med i det här passet" in raised.value.messages[0]


def test_starting_twice_says_when_it_started(started, host):
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=5)), pytest.raises(ValidationError) as e:
        services.shift_start(shift=started, by=host, vehicle=None, phone_line=None)
    assert e.value.code == "started"
    assert "21:00" in e.value.messages[0]


@pytest.mark.parametrize(
    ("moment", "code"),
    [(FRIDAY_21 - timedelta(hours=3), "too_early"), (FRIDAY_21 + timedelta(hours=6), "too_late")],
)
def test_a_shift_is_started_near_its_time(planned, host, moment, code):
    with time_machine.travel(moment), pytest.raises(ValidationError) as raised:
        services.shift_start(shift=planned, by=host, vehicle=None, phone_line=None)
    assert raised.value.code == code


def test_a_host_works_one_shift_at_a_time(started, host):
    # Yesterday's shift, never started, overlapping nothing: still not while another goes on.
    later = make_shift(hosts=[host], start=FRIDAY_21 + timedelta(hours=6), hours=2)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=5)), pytest.raises(ValidationError) as e:
        services.shift_start(shift=later, by=host, vehicle=None, phone_line=None)
    assert e.value.code == "busy"


def test_ending_needs_a_summary(started, host):
    with pytest.raises(ValidationError, match="sammanfattning"):
        services.shift_end(shift=started, by=host, summary="   ")
    started.refresh_from_db()
    assert started.state == ShiftState.ACTIVE


def test_ending_closes_the_shift_its_open_visits_and_its_bookings(started, host):
    area = AreaFactory()
    end = FRIDAY_21 + timedelta(hours=6, minutes=20)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=1), tick=False):
        visit, _created = services.visit_arrive(shift=started, area=area, by=host)
    with time_machine.travel(end, tick=False):
        shift = services.shift_end(shift=started, by=host, summary="Lugnt pass.")
    visit.refresh_from_db()
    assert (shift.state, shift.actual_end, shift.summary) == (ShiftState.CLOSED, end, "Lugnt pass.")
    assert visit.left_at == end
    assert set(periods(shift)) == {DateTimeTZRange(FRIDAY_21, end)}


def test_ending_twice_says_it_has_ended(started, persona):
    colleague = persona("other_host")
    with time_machine.travel(FRIDAY_21 + timedelta(hours=6)):
        services.shift_end(shift=started, by=colleague, summary="Klart.")
        with pytest.raises(ValidationError) as raised:
            services.shift_end(shift=started, by=colleague, summary="Klart igen.")
    assert raised.value.code == "ended"
    assert "redan avslutats" in raised.value.messages[0]


def test_ending_late_into_the_next_booking_still_ends_the_shift(started, host):
    next_one = make_shift(hosts=[host], start=FRIDAY_21 + timedelta(hours=6), hours=2)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=7)):
        services.shift_end(shift=started, by=host, summary="Sent.")
    started.refresh_from_db()
    assert started.state == ShiftState.CLOSED
    assert set(periods(started)) == {DateTimeTZRange(FRIDAY_21, started.planned_end)}
    assert next_one.shift_hosts.count() == 1


def test_ending_a_planned_shift_is_refused(planned, host):
    with pytest.raises(ValidationError) as raised:
        services.shift_end(shift=planned, by=host, summary="?")
    assert raised.value.code == "state"


# --- Visits


def test_arriving_is_retry_safe(started, host):
    key = uuid.uuid4()
    area = AreaFactory()
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10)):
        results = [
            services.visit_arrive(shift=started, area=area, by=host, client_key=key)
            for _ in range(3)
        ]
    assert Visit.objects.count() == 1
    assert [created for _visit, created in results] == [True, False, False]


def test_arriving_where_the_car_already_is_returns_that_visit(started, host):
    area = AreaFactory()
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10)):
        first, _ = services.visit_arrive(shift=started, area=area, by=host)
        again, created = services.visit_arrive(shift=started, area=area, by=host)
    assert (again, created) == (first, False)


def test_arriving_elsewhere_leaves_the_area_the_car_was_in(started, host):
    here, there = AreaFactory(), AreaFactory()
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10), tick=False):
        first, _ = services.visit_arrive(shift=started, area=here, by=host)
    moved = FRIDAY_21 + timedelta(minutes=40)
    with time_machine.travel(moved, tick=False):
        services.visit_arrive(shift=started, area=there, by=host)
    first.refresh_from_db()
    assert first.left_at == moved
    assert Visit.objects.open().get().area == there


def test_a_key_of_another_hosts_visit_is_refused(started, host, persona):
    key = uuid.uuid4()
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10)):
        services.visit_arrive(shift=started, area=AreaFactory(), by=host, client_key=key)
        with pytest.raises(PermissionDenied):
            services.visit_arrive(
                shift=started, area=AreaFactory(), by=persona("other_host"), client_key=key
            )


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (FRIDAY_21 - timedelta(minutes=5), "time"),
        (FRIDAY_21 + timedelta(hours=2), "time"),
    ],
)
def test_presence_is_recorded_during_the_shift(started, host, at, code):
    with time_machine.travel(FRIDAY_21 + timedelta(hours=1)), pytest.raises(ValidationError) as e:
        services.visit_arrive(shift=started, area=AreaFactory(), by=host, at=at)
    assert e.value.code == code


def test_presence_needs_a_started_shift(planned, host):
    with time_machine.travel(FRIDAY_21), pytest.raises(ValidationError) as raised:
        services.visit_arrive(shift=planned, area=AreaFactory(), by=host)
    assert raised.value.code == "state"


def test_an_area_no_longer_in_use_is_refused(started, host):
    with time_machine.travel(FRIDAY_21), pytest.raises(ValidationError) as raised:
        services.visit_arrive(shift=started, area=AreaFactory(active=False), by=host)
    assert raised.value.code == "inactive"


def test_leaving_twice_keeps_the_first_time(started, host):
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10), tick=False):
        visit, _ = services.visit_arrive(shift=started, area=AreaFactory(), by=host)
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=50), tick=False):
        services.visit_leave(visit=visit, by=host)
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=55), tick=False):
        visit = services.visit_leave(visit=visit, by=host)
    assert visit.left_at == FRIDAY_21 + timedelta(minutes=50)


def test_a_double_tap_within_the_second_still_leaves(started, host):
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10), tick=False):
        visit, _ = services.visit_arrive(shift=started, area=AreaFactory(), by=host)
        visit = services.visit_leave(visit=visit, by=host)
    assert visit.left_at > visit.arrived_at


def test_dialogues_count_once_per_tap_and_never_below_zero(started, host, persona):
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10)):
        visit, _ = services.visit_arrive(shift=started, area=AreaFactory(), by=host)
    first, second = uuid.uuid4(), uuid.uuid4()
    services.visit_count_dialogue(visit=visit, by=host, client_key=first)
    services.visit_count_dialogue(visit=visit, by=host, client_key=first)  # resent
    services.visit_count_dialogue(visit=visit, by=persona("other_host"), client_key=second)
    visit.refresh_from_db()
    assert visit.dialogues == 2
    for _ in range(3):
        visit = services.visit_count_dialogue(
            visit=visit, by=host, client_key=uuid.uuid4(), delta=-1
        )
    assert visit.dialogues == 0


def test_only_the_shifts_hosts_record_its_visits(started, host):
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=10)):
        visit, _ = services.visit_arrive(shift=started, area=AreaFactory(), by=host)
    outsider = UserFactory(roles=[Role.HOST])
    with pytest.raises(ValidationError):
        services.visit_leave(visit=visit, by=outsider)
    with pytest.raises(ValidationError):
        services.visit_count_dialogue(visit=visit, by=outsider, client_key=uuid.uuid4())


# --- Areas and assignments


def test_an_area_is_saved_with_a_clean_boundary(db):
    area = services.area_create(name="Torget", kind="centre", boundary=square(16.5, 59.6))
    assert area.boundary["type"] == "Polygon"


def test_an_area_with_a_bad_boundary_is_not_saved(db):
    with pytest.raises(ValidationError):
        services.area_create(name="Torget", kind="centre", boundary={"type": "Point"})
    assert not AreaFactory._meta.model.objects.exists()


def test_an_assignment_window_must_not_be_empty(persona):
    fields = {
        "area": AreaFactory(),
        "reason": "Oro.",
        "valid_from": date(2026, 11, 1),
        "weekdays": [4],
        "start_time": time(21),
        "end_time": time(21),
        "consulted_on": date(2026, 10, 30),
    }
    with pytest.raises(ValidationError) as raised:
        services.assignment_create(created_by=persona("chief"), **fields)
    assert "end_time" in raised.value.message_dict
    assert not Assignment.objects.exists()


def test_ending_an_assignment_keeps_it_for_the_figures(db):
    assignment = AssignmentFactory(valid_from=date(2026, 11, 1))
    services.assignment_end(assignment=assignment, on=date(2026, 11, 20))
    assert Assignment.objects.current(date(2026, 11, 21)).count() == 0
    assert Assignment.objects.count() == 1


def test_resource_save_saves_a_new_car_and_changes_it(db):
    car = services.resource_save(resource=Vehicle(), registration="XYZ123", name="Trygghet 1")
    services.resource_save(resource=car, name="Trygghet 2")

    car.refresh_from_db()
    assert (car.registration, car.name) == ("XYZ123", "Trygghet 2")


def test_resource_save_refuses_a_second_car_with_the_same_registration(db):
    VehicleFactory(registration="XYZ123")

    with pytest.raises(ValidationError) as refused:
        services.resource_save(resource=Vehicle(), registration="XYZ123", name="Kopia")

    assert "registration" in refused.value.message_dict
    assert Vehicle.objects.count() == 1
