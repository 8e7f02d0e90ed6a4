"""The properties app's background jobs: the e-mails to a building's contact. Each job holds
the deviation's id and reloads it, so a retry sees the deviation as it is then."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from properties import notifications
from properties.models import Deviation
from trygghet.core.models import SentMail
from trygghet.core.schedule import MAIL_RETRY, local_periodic


@app.task(retry=MAIL_RETRY)
def deviation_email(deviation_id: int) -> None:
    notifications.deviation_email(deviation_id=deviation_id)


@app.task(retry=MAIL_RETRY)
def deviation_reminder_email(deviation_id: int, days: int) -> None:
    notifications.deviation_reminder_email(deviation_id=deviation_id, days=days)


def reminders_due(now: datetime) -> list[tuple[int, int]]:
    """(deviation id, days) of each unresolved deviation whose contact has not yet been
    reminded at the longest time it has been open for. A deviation past two marks at once
    (an old one, when reminders begin) gets only the later reminder."""
    due: dict[int, int] = {}
    for days in sorted(settings.DEVIATION_REMINDER_DAYS, reverse=True):
        found_before = now - timedelta(days=days)
        for pk in (
            Deviation.objects.unresolved()
            .filter(found_at__lt=found_before)
            .values_list("pk", flat=True)
        ):
            due.setdefault(pk, days)
    keys = {notifications.reminder_key(pk, days): pk for pk, days in due.items()}
    sent = set(SentMail.objects.filter(key__in=keys).values_list("key", flat=True))
    return sorted((pk, due[pk]) for key, pk in keys.items() if key not in sent)


@local_periodic(hour=8, retry=MAIL_RETRY)
def deviation_reminders(at: datetime) -> None:
    """Every morning at 08:00: one job per reminder due, each retried on its own."""
    for deviation_id, days in reminders_due(at):
        try:
            deviation_reminder_email.configure(
                queueing_lock=notifications.reminder_key(deviation_id, days)
            ).defer(deviation_id=deviation_id, days=days)
        except AlreadyEnqueued:
            continue  # yesterday's is still waiting for the mail server
