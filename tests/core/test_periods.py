import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trygghet.core import periods as periods_module
from trygghet.core.periods import Bucket, Nights, PeriodKind, bucket_starts, last_night, period

STHLM = ZoneInfo("Europe/Stockholm")
# Wednesday 25 November 2026, 07:30: the chief reads about Tuesday's night.
WEDNESDAY_MORNING = datetime(2026, 11, 25, 7, 30, tzinfo=STHLM).astimezone(UTC)


@pytest.mark.parametrize(
    ("local", "night"),
    [
        (datetime(2026, 11, 25, 7, 30, tzinfo=STHLM), date(2026, 11, 24)),
        (datetime(2026, 11, 25, 23, 0, tzinfo=STHLM), date(2026, 11, 24)),
        (datetime(2026, 11, 25, 0, 5, tzinfo=STHLM), date(2026, 11, 24)),
        (datetime(2026, 3, 29, 3, 30, tzinfo=STHLM), date(2026, 3, 28)),  # after the change
    ],
)
def test_last_night_is_the_night_that_began_yesterday(local, night):
    assert last_night(local) == night


def test_last_night_is_compared_with_the_night_before_and_the_same_weekday_last_year():
    chosen = period(PeriodKind.NIGHT, now=WEDNESDAY_MORNING)
    assert chosen.shown == Nights(date(2026, 11, 24), date(2026, 11, 24))
    assert chosen.previous == Nights(date(2026, 11, 23), date(2026, 11, 23))
    assert chosen.last_year.first.weekday() == date(2026, 11, 24).weekday()
    assert chosen.label() == "Natten mot onsdag 25 november 2026"


def test_a_running_week_is_compared_night_for_night():
    chosen = period(PeriodKind.WEEK, now=WEDNESDAY_MORNING)
    assert chosen.whole == Nights(date(2026, 11, 23), date(2026, 11, 29))
    assert chosen.shown == Nights(date(2026, 11, 23), date(2026, 11, 24))
    assert chosen.so_far
    assert chosen.previous == Nights(date(2026, 11, 16), date(2026, 11, 17))
    assert chosen.last_year == Nights(date(2025, 11, 24), date(2025, 11, 25))
    assert chosen.label() == "Vecka 48, 23–29 november 2026 (hittills)"
    assert chosen.after() is None
    assert chosen.before() == date(2026, 11, 22)


def test_a_whole_month_is_compared_with_the_whole_month_before():
    chosen = period(PeriodKind.MONTH, on=date(2026, 3, 10), now=WEDNESDAY_MORNING)
    assert chosen.shown == Nights(date(2026, 3, 1), date(2026, 3, 31))
    assert chosen.previous == Nights(date(2026, 2, 1), date(2026, 2, 28))
    assert chosen.last_year == Nights(date(2025, 3, 1), date(2025, 3, 31))
    assert chosen.label() == "Mars 2026"
    assert chosen.after() == date(2026, 4, 1)


def test_a_tertial_is_january_to_april_may_to_august_or_september_to_december():
    chosen = period(PeriodKind.TERTIAL, now=WEDNESDAY_MORNING)
    assert chosen.whole == Nights(date(2026, 9, 1), date(2026, 12, 31))
    assert chosen.previous.first == date(2026, 5, 1)
    assert chosen.previous.count == chosen.shown.count
    assert chosen.last_year.first == date(2025, 9, 1)
    assert chosen.label() == "Tertial 3 2026, september–december (hittills)"


def test_a_custom_period_never_reaches_past_last_night():
    chosen = period(
        PeriodKind.CUSTOM, first=date(2026, 11, 1), last=date(2026, 12, 31), now=WEDNESDAY_MORNING
    )
    assert chosen.shown == Nights(date(2026, 11, 1), date(2026, 11, 24))
    assert chosen.previous.last == date(2026, 10, 31)
    assert chosen.previous.count == chosen.shown.count


def test_a_period_is_bounded_by_noon_local_time_across_the_spring_change():
    start, end = Nights(date(2026, 3, 28), date(2026, 3, 29)).bounds()
    assert start == datetime(2026, 3, 28, 11, tzinfo=UTC)  # 12:00 CET
    assert end == datetime(2026, 3, 30, 10, tzinfo=UTC)  # 12:00 CEST
    assert end - start == timedelta(hours=47)


def test_bucket_starts_cover_every_night():
    nights = Nights(date(2026, 4, 28), date(2026, 5, 5))
    assert bucket_starts(nights, Bucket.WEEK) == [date(2026, 4, 27), date(2026, 5, 4)]
    assert bucket_starts(nights, Bucket.MONTH) == [date(2026, 4, 1), date(2026, 5, 1)]
    assert bucket_starts(nights, Bucket.TERTIAL) == [date(2026, 1, 1), date(2026, 5, 1)]
    assert len(bucket_starts(nights, Bucket.NIGHT)) == 8


def test_periods_own_the_buckets_and_import_nothing_that_counts():
    """Buckets are a calendar idea: periods defines them and aggregates builds on periods,
    never the other way round."""
    source = Path(periods_module.__file__).read_text()
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "trygghet.core.aggregates" not in imported
    assert Bucket.__module__ == "trygghet.core.periods"
