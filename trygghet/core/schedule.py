"""Periodic jobs at a local time of day, whatever the clock change.

procrastinate reads a periodic task's cron expression in UTC, and local time is one or two
hours ahead of it here. So a job meant for 07:00 local time is scheduled at both UTC hours that
can be 07:00 here, and each run asks whether its own scheduled moment is 07:00 local time: one
of the two is, the other returns at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from procrastinate.contrib.django import app
from procrastinate.retry import RetryStrategy

from trygghet.core.time import local_tz


def utc_hours(hour: int) -> list[int]:
    """The UTC hours at which it can be `hour` o'clock in the local time zone over a year."""
    tz = local_tz()
    offsets = {datetime(2026, month, 1, tzinfo=tz).utcoffset() or timedelta(0) for month in (1, 7)}
    return sorted({(hour - round(offset.total_seconds() / 3600)) % 24 for offset in offsets})


def local_cron(*, hour: int, minute: int = 0, weekday: str = "*") -> str:
    """A UTC cron expression for `hour:minute` local time on `weekday` (cron's 0–6, Sunday 0)."""
    hours = utc_hours(hour)
    if weekday != "*" and any(abs(hour - utc) > 12 for utc in hours):
        # The UTC run would fall on another day than the local one; no job here needs that.
        raise ValueError("A weekly local time must be on the same UTC day.")
    return f"{minute} {','.join(map(str, hours))} * * {weekday}"


def is_local_hour(timestamp: int, hour: int) -> bool:
    return datetime.fromtimestamp(timestamp, UTC).astimezone(local_tz()).hour == hour


def local_periodic(
    *, hour: int, minute: int = 0, weekday: str = "*", retry: RetryStrategy
) -> Callable[[Callable[[datetime], None]], Callable[..., None]]:
    """Make `run(at)` a periodic task at `hour:minute` local time; `at` is the local moment it
    was scheduled for (never the moment it happens to run, which a retry moves)."""

    def decorate(run: Callable[[datetime], None]) -> Callable[..., None]:
        @app.periodic(cron=local_cron(hour=hour, minute=minute, weekday=weekday))
        @app.task(name=f"{run.__module__}.{run.__name__}", retry=retry, pass_context=False)
        @functools.wraps(run)
        def task(timestamp: int) -> None:
            if is_local_hour(timestamp, hour):
                run(datetime.fromtimestamp(timestamp, UTC).astimezone(local_tz()))

        return task

    return decorate


# How often, and after how long, a failed job is tried again: nine retries, each 3**n seconds
# after the last (3 s, 9 s, 27 s … 5½ hours before the last), about eight hours in all, so a
# mail server down for a night still gets the e-mail in the morning.
MAIL_RETRY = RetryStrategy(max_attempts=9, exponential_wait=3)
# Housekeeping runs again on its own schedule anyway: a few quick tries are enough.
HOUSEKEEPING_RETRY = RetryStrategy(max_attempts=3, exponential_wait=10)
