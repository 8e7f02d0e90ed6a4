"""Tonight's round: a building is due when its closing time has passed in local time and it has
not been checked in this operational night (noon to noon)."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from properties.selectors import tonights_round
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check

STHLM = ZoneInfo("Europe/Stockholm")


def at(*args, tz=STHLM):
    return datetime(*args, tzinfo=tz)


def due_names(host, moment):
    return [stop.property.name for stop in tonights_round(user=host, now=moment).due]


@pytest.fixture
def host(persona):
    return persona("host")


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (at(2026, 11, 27, 21, 59), False),  # Friday, before closing
        (at(2026, 11, 27, 22, 0), True),
        (at(2026, 11, 27, 23, 30), True),
        (at(2026, 11, 28, 0, 0), True),  # midnight: still Friday's night
        (at(2026, 11, 28, 1, 30), True),
        (at(2026, 11, 28, 11, 59), True),
        (at(2026, 11, 28, 12, 0), False),  # Saturday's night; Saturday closes at 23:00
    ],
)
def test_friday_22_is_due_from_closing_until_noon(host, moment, due):
    PropertyFactory(name="Skolan", closes_friday=time(22), closes_saturday=time(23))
    assert (due_names(host, moment) == ["Skolan"]) is due


def test_not_due_once_checked_in_the_night_and_due_again_the_next(host):
    building = PropertyFactory(name="Skolan")
    with time_machine.travel(at(2026, 11, 27, 23, 40), tick=False):
        make_shift(hosts=[host], start=at(2026, 11, 27, 21), hours=6, active=True)
        check(building, host)
    assert due_names(host, at(2026, 11, 28, 1, 30)) == []
    assert due_names(host, at(2026, 11, 28, 22, 30)) == ["Skolan"]


def test_a_check_the_night_before_does_not_count(host):
    building = PropertyFactory(name="Skolan")
    with time_machine.travel(at(2026, 11, 26, 23, 0), tick=False):
        make_shift(hosts=[host], start=at(2026, 11, 26, 21), hours=6, active=True)
        check(building, host)
    assert due_names(host, at(2026, 11, 27, 23, 30)) == ["Skolan"]


def test_closing_after_midnight_belongs_to_the_evening_before(host):
    PropertyFactory(name="Fritidsgården", closes_saturday=time(1, 0))
    saturday_late = at(2026, 11, 28, 23, 30)
    assert due_names(host, saturday_late) == []
    assert [s.property.name for s in tonights_round(user=host, now=saturday_late).later] == [
        "Fritidsgården"
    ]
    assert due_names(host, at(2026, 11, 29, 1, 30)) == ["Fritidsgården"]


def test_closed_all_day_is_due_from_noon(host):
    PropertyFactory(name="Skolan", closes_saturday=None)
    assert due_names(host, at(2026, 11, 27, 13, 0)) == []  # Friday closes at 22:00
    assert due_names(host, at(2026, 11, 28, 12, 0)) == ["Skolan"]  # Saturday: closed


def test_closed_dates_count_as_closed_all_day(host):
    PropertyFactory(name="Skolan", closed_dates=[date(2026, 12, 24)])
    assert due_names(host, at(2026, 12, 24, 13, 0)) == ["Skolan"]
    assert due_names(host, at(2026, 12, 23, 13, 0)) == []


def test_spring_forward_night(host):
    # 29 March 2026: 02:00 CET becomes 03:00 CEST. Saturday 28 March closes at 22:00.
    PropertyFactory(name="Hallen", closes_saturday=time(22))
    assert due_names(host, at(2026, 3, 28, 23, 30)) == ["Hallen"]
    assert due_names(host, at(2026, 3, 29, 3, 30)) == ["Hallen"]
    assert due_names(host, at(2026, 3, 29, 12, 0)) == []


def test_closing_in_the_skipped_hour_is_due_after_the_gap(host):
    PropertyFactory(name="Fritidsgården", closes_saturday=time(2, 30))
    assert due_names(host, at(2026, 3, 29, 0, 59, tz=UTC)) == []  # 01:59 CET
    assert due_names(host, at(2026, 3, 29, 1, 30, tz=UTC)) == ["Fritidsgården"]  # 03:30 CEST


def test_fall_back_night_uses_the_first_of_the_repeated_hour(host):
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    PropertyFactory(name="Fritidsgården", closes_saturday=time(2, 30))
    assert due_names(host, at(2026, 10, 25, 0, 15, tz=UTC)) == []  # 02:15 CEST
    assert due_names(host, at(2026, 10, 25, 0, 30, tz=UTC)) == ["Fritidsgården"]  # 02:30 CEST
    assert due_names(host, at(2026, 10, 25, 1, 15, tz=UTC)) == ["Fritidsgården"]  # 02:15 CET


def test_fall_back_night_check_counts_for_the_whole_25_hour_night(host):
    building = PropertyFactory(name="Skolan", closes_saturday=time(22))
    with time_machine.travel(at(2026, 10, 24, 23, 0), tick=False):
        make_shift(hosts=[host], start=at(2026, 10, 24, 21), hours=7, active=True)
        check(building, host)
    assert due_names(host, at(2026, 10, 25, 11, 59)) == []


def test_order_is_priority_then_distance(host):
    PropertyFactory(
        name="Långt bort", priority=2, latitude=Decimal("59.70"), longitude=Decimal("16.60")
    )
    PropertyFactory(
        name="Nära", priority=2, latitude=Decimal("59.611"), longitude=Decimal("16.545")
    )
    PropertyFactory(
        name="Viktig", priority=1, latitude=Decimal("59.80"), longitude=Decimal("16.90")
    )
    tonight = tonights_round(user=host, now=at(2026, 11, 27, 23, 0), lat=59.61, lon=16.545)
    assert [stop.property.name for stop in tonight.due] == ["Viktig", "Nära", "Långt bort"]
    assert tonight.due[1].distance_m < 200


def test_checked_twice_in_one_night_keeps_both(host):
    building = PropertyFactory(name="Skolan")
    with time_machine.travel(at(2026, 11, 27, 23, 0), tick=False):
        make_shift(hosts=[host], start=at(2026, 11, 27, 21), hours=6, active=True)
        check(building, host)
    with time_machine.travel(at(2026, 11, 28, 2, 0), tick=False):
        check(building, host, failed=["locked"])
    assert building.checks.count() == 2
    tonight = tonights_round(user=host, now=at(2026, 11, 28, 3, 0))
    assert tonight.checked[0].checks_tonight == 2
    assert tonight.checked[0].open_deviations == 1


def test_inactive_buildings_are_not_in_the_round(host):
    PropertyFactory(name="Riven", active=False)
    assert due_names(host, at(2026, 11, 27, 23, 0)) == []
