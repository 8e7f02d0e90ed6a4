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
from django.utils import timezone

# An operational night runs from noon to noon local time and is named by the day it starts on:
# "Friday's night" is Friday 12:00 to Saturday 12:00.
NIGHT_STARTS_AT = time(12, 0)


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


def operational_night(moment: datetime) -> date:
    """The operational night a moment belongs to (the day its noon-to-noon night starts)."""
    local = timezone.localtime(moment, local_tz())
    return local.date() if local.time() >= NIGHT_STARTS_AT else local.date() - timedelta(days=1)


def night_bounds(night: date) -> tuple[datetime, datetime]:
    """Start and end of an operational night as aware datetimes (end exclusive)."""
    return localize(night, NIGHT_STARTS_AT), localize(night + timedelta(days=1), NIGHT_STARTS_AT)


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


def night_button_window() -> DailyWindow:
    return DailyWindow.parse(settings.NIGHT_BUTTON_HOURS)
