"""Tonight's areas and the presence figures, on fixed clocks and hand-built nights."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from patrols.models import Priority, ShiftState, Visit
from patrols.selectors import areas_on_night, areas_tonight, presence, windows_on_night
from tests.patrols.factories import AreaFactory, AssignmentFactory, make_shift

STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY = date(2026, 11, 27)
AUTUMN_SATURDAY = date(2026, 10, 24)  # clocks go back in the early hours of Sunday
SPRING_SATURDAY = date(2026, 3, 28)  # clocks go forward in the early hours of Sunday


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STHLM).astimezone(UTC)


def next_day(day: date, hour: int, minute: int = 0) -> datetime:
    return local(day + timedelta(days=1), hour, minute)


# --- Windows and tonight's list


@pytest.mark.parametrize(
    ("night", "hours"), [(AUTUMN_SATURDAY, 7), (SPRING_SATURDAY, 5), (FRIDAY, 6)]
)
def test_a_21_to_03_window_lasts_as_long_as_the_clock_says(db, night, hours):
    assignment = AssignmentFactory.build(
        weekdays=[night.weekday()], start_time=time(21), end_time=time(3)
    )
    [(start, end)] = windows_on_night(assignment, night)
    assert end - start == timedelta(hours=hours)


def test_a_friday_window_is_still_open_at_half_past_one_on_saturday(db):
    friday = AssignmentFactory(weekdays=[4], start_time=time(21), end_time=time(2))
    saturday_0130 = next_day(FRIDAY, 1, 30)
    [entry] = areas_tonight(saturday_0130)
    assert entry.area == friday.area
    assert entry.is_open(saturday_0130)
    assert not entry.is_open(next_day(FRIDAY, 2, 0))


def test_a_friday_window_is_not_saturday_nights(db):
    AssignmentFactory(weekdays=[4], start_time=time(21), end_time=time(2))
    assert areas_tonight(next_day(FRIDAY, 13)) == []


def test_tonight_starts_at_noon(db):
    AssignmentFactory(weekdays=[4], start_time=time(21), end_time=time(2))
    assert areas_tonight(local(FRIDAY, 11, 59)) == []  # still Thursday's night
    assert len(areas_tonight(local(FRIDAY, 12))) == 1


def test_a_window_after_midnight_belongs_to_the_day_it_starts(db):
    # "Saturday 00:30–02:00" starts on Saturday: it is in Friday's night (noon to noon).
    AssignmentFactory(weekdays=[5], start_time=time(0, 30), end_time=time(2))
    assert len(areas_on_night(FRIDAY)) == 1
    assert areas_on_night(FRIDAY + timedelta(days=1)) == []


def test_tonight_lists_urgent_areas_first_then_by_start(db):
    late_high = AssignmentFactory(priority=Priority.HIGH, start_time=time(23), end_time=time(1))
    early_normal = AssignmentFactory(priority=Priority.NORMAL, start_time=time(18))
    early_high = AssignmentFactory(priority=Priority.HIGH, start_time=time(19), end_time=time(20))
    entries = areas_on_night(FRIDAY)
    assert [e.area for e in entries] == [early_high.area, late_high.area, early_normal.area]


def test_one_area_with_two_assignments_is_listed_once_with_both_windows(db):
    first = AssignmentFactory(priority=Priority.NORMAL, start_time=time(19), end_time=time(20))
    AssignmentFactory(area=first.area, priority=Priority.HIGH, reason="Bränder i soprum.")
    [entry] = areas_on_night(FRIDAY)
    assert entry.priority == Priority.HIGH
    assert len(entry.windows) == 2
    assert entry.reasons == [first.reason, "Bränder i soprum."]


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "listed"),
    [
        (FRIDAY, None, True),
        (FRIDAY + timedelta(days=1), None, False),
        (date(2026, 1, 1), FRIDAY, True),
        (date(2026, 1, 1), FRIDAY - timedelta(days=1), False),
    ],
)
def test_only_valid_assignments_are_listed(db, valid_from, valid_to, listed):
    AssignmentFactory(valid_from=valid_from, valid_to=valid_to)
    assert bool(areas_on_night(FRIDAY)) is listed


def test_areas_no_longer_in_use_are_not_listed(db):
    AssignmentFactory(area=AreaFactory(active=False))
    assert areas_on_night(FRIDAY) == []


# --- Presence on a hand-built night


def visit(shift, area, arrived, left, dialogues=0):
    return Visit.objects.create(
        shift=shift,
        area=area,
        arrived_at=arrived,
        left_at=left,
        dialogues=dialogues,
        recorded_by=shift.hosts.first(),
    )


@pytest.fixture
def friday_night(persona):
    """Friday night: Torget assigned 21–02 and 23–03 (one 21–03 stretch), Parken 22–23 and
    never visited; the car was in Torget 20:30–21:30 and 23:00–00:15, and in Hamnen (not
    assigned) 01:00–01:20."""
    torget, parken, hamnen = (AreaFactory(name=n) for n in ("Torget", "Parken", "Hamnen"))
    AssignmentFactory(area=torget, weekdays=[4], start_time=time(21), end_time=time(2))
    AssignmentFactory(area=torget, weekdays=[4], start_time=time(23), end_time=time(3))
    AssignmentFactory(area=parken, weekdays=[4], start_time=time(22), end_time=time(23))
    shift = make_shift(hosts=[persona("host")], start=local(FRIDAY, 20), hours=8)
    shift.state, shift.actual_start, shift.actual_end = (
        ShiftState.CLOSED,
        local(FRIDAY, 20),
        next_day(FRIDAY, 4),
    )
    shift.save()
    visit(shift, torget, local(FRIDAY, 20, 30), local(FRIDAY, 21, 30), dialogues=2)
    visit(shift, torget, local(FRIDAY, 23), next_day(FRIDAY, 0, 15), dialogues=3)
    visit(shift, hamnen, next_day(FRIDAY, 1), next_day(FRIDAY, 1, 20))
    return {"torget": torget, "parken": parken, "hamnen": hamnen, "shift": shift}


def by_area(rows):
    return {row.area_name: row for row in rows}


def test_presence_of_a_hand_built_night(friday_night):
    rows = by_area(presence(first_night=FRIDAY, last_night=FRIDAY))
    torget, parken, hamnen = rows["Torget"], rows["Parken"], rows["Hamnen"]
    assert (torget.planned_minutes, torget.present_minutes, torget.covered_minutes) == (
        360,
        135,
        105,
    )
    assert (torget.visits, torget.dialogues) == (2, 5)
    assert (parken.planned_minutes, parken.present_minutes, parken.missed) == (60, 0, True)
    assert (hamnen.planned_minutes, hamnen.present_minutes, hamnen.missed) == (0, 20, False)
    assert torget.coverage == round(100 * 105 / 360)
    assert (torget.all_planned_minutes, torget.all_covered_minutes) == (420, 105)
    assert torget.all_nights_missed == 1


def test_presence_only_lists_area_nights_with_something(friday_night):
    rows = presence(first_night=FRIDAY - timedelta(days=3), last_night=FRIDAY)
    assert {(row.area_name, row.night) for row in rows} == {
        ("Torget", FRIDAY),
        ("Parken", FRIDAY),
        ("Hamnen", FRIDAY),
    }


def test_presence_sums_each_areas_period(friday_night):
    rows = presence(first_night=FRIDAY - timedelta(days=7), last_night=FRIDAY)
    torget = [row for row in rows if row.area_name == "Torget"]
    # Last Friday was assigned too, and nobody came.
    assert [row.night for row in torget] == [FRIDAY - timedelta(days=7), FRIDAY]
    assert torget[0].missed
    assert torget[0].area_planned_minutes == 720
    assert torget[0].area_nights_assigned == 2
    assert torget[0].area_nights_missed == 1


def test_presence_can_be_narrowed_to_an_area(friday_night):
    rows = presence(first_night=FRIDAY, last_night=FRIDAY, area_ids=[friday_night["parken"].pk])
    assert [row.area_name for row in rows] == ["Parken"]


def test_a_visit_across_noon_is_split_between_the_nights(friday_night):
    shift = make_shift(hosts=[friday_night["shift"].hosts.first()], start=next_day(FRIDAY, 11))
    visit(shift, friday_night["hamnen"], next_day(FRIDAY, 11, 30), next_day(FRIDAY, 12, 30))
    rows = presence(first_night=FRIDAY, last_night=FRIDAY + timedelta(days=1))
    hamnen = {row.night: row for row in rows if row.area_name == "Hamnen"}
    assert hamnen[FRIDAY].present_minutes == 20 + 30
    assert hamnen[FRIDAY + timedelta(days=1)].present_minutes == 30
    assert (hamnen[FRIDAY].visits, hamnen[FRIDAY + timedelta(days=1)].visits) == (2, 0)


def test_an_open_visit_counts_until_now_while_the_shift_goes_on(persona):
    area = AreaFactory()
    shift = make_shift(hosts=[persona("host")], start=local(FRIDAY, 21), active=True)
    visit(shift, area, local(FRIDAY, 22), None)
    rows = presence(first_night=FRIDAY, last_night=FRIDAY, now=local(FRIDAY, 22, 40))
    assert rows[0].present_minutes == 40


@pytest.mark.parametrize(("night", "minutes"), [(AUTUMN_SATURDAY, 420), (SPRING_SATURDAY, 300)])
def test_presence_on_the_clock_change_nights(persona, night, minutes):
    area = AreaFactory()
    AssignmentFactory(area=area, weekdays=[5], start_time=time(21), end_time=time(3))
    shift = make_shift(hosts=[persona("host")], start=local(night, 20), hours=9)
    visit(shift, area, local(night, 21), next_day(night, 3))
    [row] = presence(first_night=night, last_night=night)
    assert (row.planned_minutes, row.present_minutes, row.covered_minutes) == (minutes,) * 3


def test_a_window_ending_in_the_repeated_hour_ends_the_first_time_the_clock_shows_it(db):
    # 02:00 happens twice on the autumn night; like trygghet.core.time, the window ends at the
    # first, so "21:00–02:00" is five hours, in SQL as in Python.
    assignment = AssignmentFactory(weekdays=[5], start_time=time(21), end_time=time(2))
    [(start, end)] = windows_on_night(assignment, AUTUMN_SATURDAY)
    [row] = presence(first_night=AUTUMN_SATURDAY, last_night=AUTUMN_SATURDAY)
    assert row.planned_minutes == (end - start).total_seconds() / 60 == 300


@time_machine.travel(datetime(2026, 11, 28, 0, 30, tzinfo=STHLM), tick=False)
def test_presence_runs_in_one_query(friday_night, django_assert_num_queries):
    with django_assert_num_queries(1):
        presence(first_night=FRIDAY - timedelta(days=60), last_night=FRIDAY)
