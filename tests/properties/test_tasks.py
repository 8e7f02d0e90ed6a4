"""Reminders for deviations left unresolved: once per deviation and number of days, to the
building's contact, at 08:00."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from properties.models import Deviation, DeviationState
from properties.notifications import deviation_reminder_email
from properties.services import deviation_transition
from properties.tasks import deviation_reminders
from tests.jobs import run_queued_jobs
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check
from trygghet.core.time import local_tz

EIGHT = datetime(2026, 11, 30, 8, 0, tzinfo=local_tz())


@pytest.fixture(autouse=True)
def _morning(settings):
    settings.DEVIATION_REMINDER_DAYS = [14, 28]
    settings.SITE_URL = "https://trygghet.example.se"
    with time_machine.travel(EIGHT, tick=False):
        yield


@pytest.fixture
def found(persona):
    """A deviation found `days` ago at a building with a contact; the e-mail about it sent."""
    host = persona("host")
    make_shift(hosts=[host], active=True)
    building = PropertyFactory(name="Vallbyskolan", contact_email="vaktmastare@example.se")

    def make(days: int) -> Deviation:
        deviation = check(building, host, failed=["locked"]).deviation
        run_queued_jobs()
        mail.outbox.clear()
        Deviation.objects.filter(pk=deviation.pk).update(
            found_at=EIGHT - timedelta(days=days, hours=1)
        )
        return deviation

    return make


def remind(at=EIGHT) -> list[str]:
    with time_machine.travel(at, tick=False):
        deviation_reminders(timestamp=int(at.timestamp()))
        run_queued_jobs()
    return [str(message.subject) for message in mail.outbox]


def test_a_deviation_overdue_is_reminded_once(found):
    deviation = found(15)
    assert remind() == ["Påminnelse: avvikelse vid Vallbyskolan inte åtgärdad på 14 dagar"]
    message = mail.outbox[0]
    assert message.to == ["vaktmastare@example.se"]
    assert f"https://trygghet.example.se{deviation.get_absolute_url()}" in message.body
    assert remind() == remind(EIGHT + timedelta(days=1))  # nothing new the next mornings
    assert len(mail.outbox) == 1


def test_a_second_reminder_at_the_next_mark(found):
    found(15)
    remind()
    remind(EIGHT + timedelta(days=14))
    assert [message.subject[-8:] for message in mail.outbox] == ["14 dagar", "28 dagar"]


def test_an_old_deviation_gets_only_the_latest_reminder(found):
    found(40)
    assert [subject[-8:] for subject in remind()] == ["28 dagar"]


def test_nothing_for_a_fresh_or_resolved_deviation(found, persona):
    found(3)
    resolved = found(20)
    deviation_transition(deviation=resolved, to=DeviationState.ACKNOWLEDGED, by=persona("chief"))
    deviation_transition(
        deviation=resolved, to=DeviationState.RESOLVED, by=persona("chief"), note="Lagat"
    )
    assert remind() == []


def test_a_reminder_for_a_deviation_gone_sends_nothing(db):
    assert deviation_reminder_email(deviation_id=404, days=14) is False
