from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.dispatch.factories import make_request, step, walk
from tests.patrols.factories import VehicleFactory, make_shift
from trygghet.dispatch.figures import response_times
from trygghet.dispatch.models import DispatchRequest, Outcome, State
from trygghet.dispatch.selectors import board, host_tasks

STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY = date(2026, 11, 27)


def at(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STHLM, fold=fold).astimezone(
        UTC
    )


D, A, S = State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE


@pytest.fixture
def night(persona):
    """Friday's night by hand: three high-priority call-outs (to a car after 2, 6 and 4 min;
    acknowledged after 3, 10, 5; on scene after 10, 30, 12), one normal that was called off
    after a car was sent at 20 min past midnight, and one high on Saturday's night."""
    chief = persona("chief")
    car = make_shift(hosts=[persona("host")], start=at(FRIDAY, 20), hours=16, active=True)
    walk(chief, car, at(FRIDAY, 21, 10), (2, D), (3, A), (10, S), (25, State.CLEARED))
    walk(chief, car, at(FRIDAY, 22), (6, D), (10, A), (30, S))
    walk(chief, car, at(FRIDAY, 23), (4, D), (5, A), (12, S))
    saturday = FRIDAY + timedelta(days=1)
    walk(chief, car, at(saturday, 0, 30), (20, D), (25, State.CANCELLED), priority=2)
    walk(chief, car, at(saturday, 21), (1, D), (2, A), (8, S))
    return DispatchRequest.objects.all()


def minutes(value):
    return None if value is None else value.total_seconds() / 60


def test_response_times_per_night_and_priority(night):
    rows = {(row.night, row.priority): row for row in response_times(night)}
    high = rows[FRIDAY, 1]
    assert (high.requests, high.dispatched, high.on_scene) == (3, 3, 3)
    assert minutes(high.to_dispatch) == 4
    assert minutes(high.to_acknowledge) == 5
    assert minutes(high.to_on_scene) == 12
    normal = rows[FRIDAY, 2]
    assert (normal.requests, normal.dispatched, normal.on_scene) == (1, 1, 0)
    assert (minutes(normal.to_dispatch), normal.to_acknowledge) == (20, None)
    friday = rows[FRIDAY, None]
    assert friday.requests == 4
    assert minutes(friday.to_dispatch) == 5  # the median of 2, 4, 6 and 20
    saturday = rows[FRIDAY + timedelta(days=1), 1]
    assert minutes(saturday.to_on_scene) == 8
    everything = rows[None, None]
    assert (everything.requests, everything.on_scene) == (5, 4)
    assert minutes(rows[None, 1].to_dispatch) == 3  # 1, 2, 4, 6


def test_a_redispatch_keeps_the_first_time_a_car_was_sent(persona):
    chief = persona("chief")
    first = make_shift(hosts=[persona("host")], start=at(FRIDAY, 20), active=True)
    second = make_shift(hosts=[persona("other_host")], start=at(FRIDAY, 20), active=True)
    request = walk(chief, first, at(FRIDAY, 21), (3, D))
    with time_machine.travel(at(FRIDAY, 21, 10), tick=False):
        step(request, by=chief, to=State.DISPATCHED, shift=second)
    (row,) = [r for r in response_times(DispatchRequest.objects.all()) if r.priority and r.night]
    assert minutes(row.to_dispatch) == 3


def test_the_autumn_night_counts_its_repeated_hour_once(persona):
    """02:30 happens twice on the last Sunday of October; both belong to Saturday's night."""
    chief = persona("chief")
    saturday = date(2026, 10, 24)
    car = make_shift(hosts=[persona("host")], start=at(saturday, 20), hours=10, active=True)
    walk(chief, car, at(saturday + timedelta(days=1), 2, 30), (5, D))
    walk(chief, car, at(saturday + timedelta(days=1), 2, 30, fold=1), (15, D))
    walk(chief, car, at(saturday + timedelta(days=1), 12, 30), (1, D))
    rows = {(r.night, r.priority): r for r in response_times(DispatchRequest.objects.all())}
    assert rows[saturday, 1].requests == 2
    assert minutes(rows[saturday, 1].to_dispatch) == 10
    assert rows[saturday + timedelta(days=1), 1].requests == 1


def test_the_spring_night_is_an_hour_shorter_and_still_one_night(persona):
    chief = persona("chief")
    saturday = date(2026, 3, 28)
    car = make_shift(hosts=[persona("host")], start=at(saturday, 20), hours=10, active=True)
    walk(chief, car, at(saturday, 23, 50), (20, D))  # across midnight
    walk(chief, car, at(saturday + timedelta(days=1), 3, 30), (10, D))  # after the jump
    rows = {(r.night, r.priority): r for r in response_times(DispatchRequest.objects.all())}
    assert rows[saturday, 1].requests == 2
    assert minutes(rows[saturday, 1].to_dispatch) == 15


def test_board_shows_open_requests_most_urgent_first_and_the_cars(persona, area):
    chief, host = persona("chief"), persona("host")
    car = make_shift(hosts=[host], active=True, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    make_request(by=chief, what="Skräp", priority=3)
    make_request(by=chief, what="Bråk", priority=1)
    make_request(by=chief, what="Larm", priority=2, shift=car)
    done = make_request(by=chief, what="Klart", shift=car)
    for to in (A, S):
        step(done, by=host, to=to)
    step(done, by=host, to=State.CLEARED, outcome=Outcome.NOTHING_FOUND)
    data = board(chief)
    assert [r.what for r in data.requests] == ["Bråk", "Larm", "Skräp"]
    assert [r.what for r in data.waiting] == ["Bråk", "Skräp"]
    (only,) = data.cars
    assert (only.label, only.busy, [t.what for t in only.tasks]) == (
        "Trygghetsbil 1",
        True,
        ["Larm"],
    )
    assert [r.what for r in data.recent] == ["Klart"]
    assert {f["properties"]["label"] for f in data.map_data()["features"]} == {
        "Bråk",
        "Larm",
        "Skräp",
    }


def test_board_version_changes_with_a_step_and_not_without(persona):
    chief = persona("chief")
    car = make_shift(hosts=[persona("host")], active=True)
    request = make_request(by=chief)
    moment = board(chief).now
    with time_machine.travel(moment, tick=False):
        first = board(chief).version
        assert board(chief).version == first
        step(request, by=chief, to=D, shift=car)
        assert board(chief).version != first


def test_host_tasks_are_the_cars_open_ones(persona):
    chief, host = persona("chief"), persona("host")
    car = make_shift(hosts=[host], active=True)
    make_request(by=chief, what="Väntar")
    mine = make_request(by=chief, what="Min", shift=car)
    other_car = make_shift(hosts=[persona("other_host")], active=True)
    make_request(by=chief, what="Deras", shift=other_car)
    tasks = host_tasks(host)
    assert (tasks.shift, tasks.tasks) == (car, [mine])
    before = tasks.version
    step(mine, by=host, to=A)
    assert host_tasks(host).version != before
    assert host_tasks(persona("chief")).tasks == []
