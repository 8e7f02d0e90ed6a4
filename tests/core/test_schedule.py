"""Every periodic job at its local time, through the clock changes: the cron expressions in
UTC that procrastinate reads, each run's check of its local hour, and the worker deferring and
running them at a fixed clock."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicDeferrer

from tests.worker import defer_periodic_jobs_due, forget_jobs, jobs, run_worker
from trygghet.core.schedule import local_cron
from trygghet.core.time import local_tz

# Each periodic task, and what it calls when it really runs (spied on below).
CALLEES = {
    "trygghet.dashboard.tasks.weekly_lagesbild": "trygghet.dashboard.tasks.weekly_recipients",
    "trygghet.core.tasks.retention_nightly": "trygghet.core.tasks.call_command",
    "properties.tasks.deviation_reminders": "properties.tasks.reminders_due",
    "trygghet.dispatch.tasks.position_purge_periodic": "trygghet.dispatch.tasks.position_purge",
}
SHORT = {
    "trygghet.dashboard.tasks.weekly_lagesbild": "weekly",
    "trygghet.core.tasks.retention_nightly": "retention",
    "properties.tasks.deviation_reminders": "reminders",
    "trygghet.dispatch.tasks.position_purge_periodic": "purge",
}


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=local_tz())


@pytest.fixture
def ran(monkeypatch) -> list[str]:
    """The periodic tasks that did their work, in order."""
    calls: list[str] = []

    def spy(name: str):
        def called(*args, **kwargs) -> list:
            calls.append(name)
            return []

        return called

    for task, callee in CALLEES.items():
        monkeypatch.setattr(callee, spy(SHORT[task]))
    return calls


def test_every_periodic_task_is_known_here():
    assert {name for name, _id in app.periodic_registry.periodic_tasks} == set(CALLEES)


def test_local_hours_become_both_utc_hours():
    assert local_cron(hour=7, weekday="1") == "0 5,6 * * 1"
    assert local_cron(hour=4) == "0 2,3 * * *"


def runs(task: str, first: datetime, last: datetime, ran: list[str]) -> list[datetime]:
    """Each moment from `first` to `last` when the task is deferred and does its work."""
    periodic = app.periodic_registry.periodic_tasks[(task, "")]
    deferrer = PeriodicDeferrer(registry=app.periodic_registry)
    worked = []
    for stamp in deferrer.get_timestamps(
        periodic, since=int(first.timestamp()), until=last.timestamp()
    ):
        ran.clear()
        periodic.task(timestamp=stamp)
        if ran:
            worked.append(datetime.fromtimestamp(stamp, UTC).astimezone(local_tz()))
    return worked


# Summer time begins on Sunday 29 March 2026 (02:00 → 03:00) and ends on Sunday 25 October
# (03:00 → 02:00): the weeks around both.
SPRING = (local(2026, 3, 22), local(2026, 4, 7))
AUTUMN = (local(2026, 10, 18), local(2026, 11, 3))


@pytest.mark.parametrize("weeks", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_the_lagesbild_goes_out_at_seven_every_monday(weeks, ran):
    mondays = [
        weeks[0] + timedelta(days=n)
        for n in range(17)
        if (weeks[0] + timedelta(days=n)).weekday() == 0
    ]
    expected = [monday.replace(hour=7) for monday in mondays]
    assert runs("trygghet.dashboard.tasks.weekly_lagesbild", *weeks, ran) == expected


@pytest.mark.parametrize("weeks", [SPRING, AUTUMN], ids=["spring", "autumn"])
@pytest.mark.parametrize(
    ("task", "hour"),
    [("trygghet.core.tasks.retention_nightly", 4), ("properties.tasks.deviation_reminders", 8)],
)
def test_the_nightly_and_morning_jobs_run_once_a_day_at_their_hour(weeks, task, hour, ran):
    worked = runs(task, *weeks, ran)
    assert [moment.hour for moment in worked] == [hour] * 16
    assert [moment.date() for moment in worked] == [
        (weeks[0] + timedelta(days=n)).date() for n in range(16)
    ]


def test_positions_are_purged_every_five_minutes_through_the_long_night(ran):
    # Sunday 25 October 2026 has 25 hours.
    day = (local(2026, 10, 25), local(2026, 10, 26))
    assert len(runs("trygghet.dispatch.tasks.position_purge_periodic", *day, ran)) == 25 * 12


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 3, 30, 7, 0, 20), ["weekly", "purge"]),  # the first Monday of summer time
        (local(2026, 3, 29, 4, 0, 20), ["retention", "purge"]),  # the night the clock went on
        (local(2026, 10, 25, 4, 0, 20), ["retention", "purge"]),  # the night it went back
        (local(2026, 10, 26, 8, 0, 20), ["reminders", "purge"]),
        (local(2026, 10, 26, 6, 0, 20), ["purge"]),  # 05:00 UTC, seven in summer: not now
        # A worker started a few minutes late still defers what it missed.
        (local(2026, 10, 26, 7, 3, 20), ["weekly", "purge"]),
        (local(2026, 10, 26, 7, 13, 20), ["purge"]),
    ],
    ids=lambda value: value.isoformat() if isinstance(value, datetime) else None,
)
def test_the_worker_runs_each_periodic_task_at_its_time(moment, expected, ran, monkeypatch):
    forget_jobs()  # what an earlier test that committed (a browser test) left in the queue
    with time_machine.travel(moment, tick=False):
        defer_periodic_jobs_due()
        run_worker(monkeypatch)
    assert sorted(ran) == sorted(expected)
    assert jobs() == []  # each succeeded
    forget_jobs()
