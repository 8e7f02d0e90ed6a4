"""The dashboard's background jobs: the weekly lägesbild by e-mail."""

from __future__ import annotations

from datetime import date, datetime

from procrastinate.contrib.django import app

from trygghet.core.periods import last_night
from trygghet.core.schedule import MAIL_RETRY, local_periodic
from trygghet.dashboard.weekly import weekly_recipients, weekly_send

MONDAY = "1"


@app.task(retry=MAIL_RETRY)
def weekly_lagesbild_email(user_id: int, night: str) -> None:
    weekly_send(user_id=user_id, night=date.fromisoformat(night))


@local_periodic(weekday=MONDAY, hour=7, retry=MAIL_RETRY)
def weekly_lagesbild(at: datetime) -> None:
    """Monday 07:00: the week that ended with last night, one job per reader, each retried on
    its own (one bad address does not hold back the others)."""
    night = last_night(at).isoformat()
    for user in weekly_recipients():
        weekly_lagesbild_email.defer(user_id=user.pk, night=night)
