"""Local time rules: operational nights and daily windows that may cross midnight.

Everything is computed in Europe/Stockholm with zoneinfo, so a window keeps its wall-clock times
across clock changes (a 21:00–03:00 shift on the last Saturday of October lasts seven hours).

The datetimes returned are in UTC. Python compares and subtracts two datetimes that share a
tzinfo by their wall clocks, which is wrong across a clock change; UTC values are always right.
Show them with timezone.localtime().
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, DateTimeField, Func, Value
from django.utils import timezone


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def localize(day: date, at: time) -> datetime:
    """The moment (in UTC) of a local wall-clock time on a day.

    A time that does not exist (02:30 on the spring-forward night) moves forward by the gap;
    an ambiguous one (02:30 on the fall-back night) is the first of the two.
    """
    # For a time in the spring-forward gap zoneinfo uses the offset from before the change, so
    # the UTC moment lands after the gap.
    return datetime.combine(day, at, tzinfo=local_tz()).astimezone(UTC)


# --- The operational night: the one home of its rule, in Python and in SQL.
# A night runs from OPERATIONAL_NIGHT_STARTS (noon) to the same local time the next day and is
# named by the day it starts on: "Friday's night" is Friday 12:00 to Saturday 12:00. A moment's
# night is the date of its local wall-clock time moved back by those hours; both languages below
# apply that one rule, read from the setting whenever they are used.


def _night_hours() -> int:
    return int(settings.OPERATIONAL_NIGHT_STARTS)


def night_starts_at() -> time:
    """The local time at which each operational night starts (and the one before it ends)."""
    return time(_night_hours())


def operational_night(moment: datetime) -> date:
    """The operational night a moment belongs to (the day its night starts)."""
    local = timezone.localtime(moment, local_tz()).replace(tzinfo=None)
    return (local - timedelta(hours=_night_hours())).date()


def night_bounds(night: date) -> tuple[datetime, datetime]:
    """Start and end of an operational night as aware datetimes (end exclusive)."""
    return localize(night, night_starts_at()), localize(
        night + timedelta(days=1), night_starts_at()
    )


def night_sql(local_sql: str) -> str:
    """SQL for the operational night of a local wall-clock timestamp (operational_night's rule)."""
    return f"(({local_sql}) - interval '{_night_hours()} hours')::date"


def night_start_sql(night_sql: str) -> str:
    """SQL for the local wall-clock time (a timestamp without zone) a night's date starts at."""
    return f"(({night_sql})::date + interval '{_night_hours()} hours')"


class LocalTime(Func):
    """A moment's local wall-clock time (a timestamp without zone), as an ORM expression."""

    function = "timezone"
    output_field = DateTimeField()

    def __init__(self, moment, **extra):
        super().__init__(Value(settings.TIME_ZONE), moment, **extra)


class OperationalNight(Func):
    """The operational night a moment (a timestamp column) belongs to, as an ORM expression."""

    output_field = DateField()

    def __init__(self, moment, **extra):
        super().__init__(Value(settings.TIME_ZONE), moment, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        # The template is built when the query is, so a changed setting is always seen.
        extra_context["template"] = night_sql("timezone(%(expressions)s)")
        return super().as_sql(compiler, connection, **extra_context)


class NightStart(Func):
    """The moment an operational night (a date column) starts: records placed by their night
    rather than a moment (a partner's count for a night) sit where that night's moments do."""

    output_field = DateTimeField()

    def __init__(self, night, **extra):
        super().__init__(Value(settings.TIME_ZONE), night, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        zone, night = self.source_expressions
        zone_sql, zone_params = compiler.compile(zone)
        column, night_params = compiler.compile(night)
        return (
            f"timezone({zone_sql}, {night_start_sql(column)})",
            (*zone_params, *night_params),
        )


@dataclass(frozen=True)
class DailyWindow:
    """A local time window repeated every day, such as 21:00–02:00; it may cross midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> DailyWindow:
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
        if not match:
            raise ValueError(f"Expected a window like 21:00-02:00, got {text!r}")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        return cls(time(h1, m1), time(h2, m2))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def on(self, day: date) -> tuple[datetime, datetime]:
        """The window that opens on the given local day, as aware datetimes."""
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        return localize(day, self.start), localize(end_day, self.end)

    def opening_containing(self, moment: datetime) -> tuple[datetime, datetime] | None:
        """The opening (start, end) that contains the moment, or None when it is closed."""
        moment = moment.astimezone(UTC)
        local_day = timezone.localtime(moment, local_tz()).date()
        for day in (local_day - timedelta(days=1), local_day):
            start, end = self.on(day)
            if start <= moment < end:
                return start, end
        return None

    def contains(self, moment: datetime) -> bool:
        return self.opening_containing(moment) is not None

    def next_opening(self, moment: datetime) -> tuple[datetime, datetime]:
        """The next opening that starts after the moment."""
        day = timezone.localtime(moment, local_tz()).date()
        start, end = self.on(day)
        if start <= moment.astimezone(UTC):
            start, end = self.on(day + timedelta(days=1))
        return start, end
