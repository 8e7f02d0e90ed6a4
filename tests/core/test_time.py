from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trygghet.core.time import DailyWindow, localize, night_bounds, operational_night

STHLM = ZoneInfo("Europe/Stockholm")
NIGHT = DailyWindow(time(21), time(2))


def at(*args):
    return datetime(*args, tzinfo=STHLM)


@pytest.mark.parametrize(
    ("moment", "night"),
    [
        (at(2026, 11, 27, 11, 59), date(2026, 11, 26)),
        (at(2026, 11, 27, 12, 0), date(2026, 11, 27)),
        (at(2026, 11, 27, 23, 59), date(2026, 11, 27)),
        (at(2026, 11, 28, 0, 0), date(2026, 11, 27)),
        (at(2026, 11, 28, 1, 30), date(2026, 11, 27)),
    ],
)
def test_operational_night_runs_noon_to_noon(moment, night):
    assert operational_night(moment) == night


def test_operational_night_is_local_not_utc():
    # 23:30 UTC on Friday is 00:30 Saturday in Stockholm: still Friday's night.
    assert operational_night(datetime(2026, 11, 27, 23, 30, tzinfo=ZoneInfo("UTC"))) == date(
        2026, 11, 27
    )


@pytest.mark.parametrize(
    ("night", "hours"),
    [(date(2026, 3, 28), 23), (date(2026, 10, 24), 25), (date(2026, 11, 27), 24)],
)
def test_night_length_across_clock_changes(night, hours):
    start, end = night_bounds(night)
    assert end - start == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(2026, 11, 27, 20, 59), False),
        (at(2026, 11, 27, 21, 0), True),
        (at(2026, 11, 28, 0, 0), True),
        (at(2026, 11, 28, 1, 59), True),
        (at(2026, 11, 28, 2, 0), False),
        (at(2026, 11, 28, 12, 0), False),
    ],
)
def test_window_across_midnight(moment, is_open):
    assert NIGHT.contains(moment) is is_open


def test_window_on_dst_nights():
    # Spring forward on 29 March 2026: 21:00–02:00 is five hours as usual (the gap is at 02:00).
    start, end = NIGHT.on(date(2026, 3, 28))
    assert end - start == timedelta(hours=5)
    # A 21:00-03:00 shift lasts 5 hours on the spring night and 7 hours on the autumn night.
    shift = DailyWindow(time(21), time(3))
    assert (lambda s, e: e - s)(*shift.on(date(2026, 3, 28))) == timedelta(hours=5)
    assert (lambda s, e: e - s)(*shift.on(date(2026, 10, 24))) == timedelta(hours=7)


def test_window_contains_the_repeated_hour_in_october():
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC"))  # 02:30 CEST
    second_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC"))  # 02:30 CET
    window = DailyWindow(time(21), time(3))
    assert window.contains(first_0230)
    assert window.contains(second_0230)


def test_nonexistent_time_moves_forward():
    assert localize(date(2026, 3, 29), time(2, 30)) == at(2026, 3, 29, 3, 30)


def test_next_opening():
    assert NIGHT.next_opening(at(2026, 11, 27, 15, 0))[0] == at(2026, 11, 27, 21, 0)
    assert NIGHT.next_opening(at(2026, 11, 27, 22, 0))[0] == at(2026, 11, 28, 21, 0)


def test_same_day_window():
    day = DailyWindow.parse("08:00-17:00")
    assert not day.crosses_midnight
    assert day.contains(at(2026, 11, 27, 12, 0))
    assert not day.contains(at(2026, 11, 27, 17, 0))


@pytest.mark.parametrize("text", ["", "21-02", "25:00-02:00", "21:00"])
def test_parse_rejects_bad_windows(text):
    with pytest.raises(ValueError):
        DailyWindow.parse(text)
