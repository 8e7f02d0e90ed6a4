"""The weekly lägesbild by e-mail: Monday 07:00, the week that ended last night, to the chiefs
and the users who subscribed; each gets the figures their own page shows, and nothing twice."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail

from tests.accounts.factories import UserFactory
from tests.dashboard.conftest import STHLM
from tests.jobs import queued_jobs, run_queued_jobs
from trygghet.accounts.roles import Role
from trygghet.dashboard.tasks import weekly_lagesbild

# Monday 23 November 2026, 07:00: the EST week 48 is 16–22 November.
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=STHLM)
# The same Monday's other scheduled run: 06:00 UTC is 07:00 only in winter, 05:00 in summer.
TWIN = datetime(2026, 11, 23, 6, 0, tzinfo=STHLM)


@pytest.fixture(autouse=True)
def _monday(settings):
    settings.SITE_URL = "https://trygghet.example.se"
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def readers(persona):
    chief, partner = persona("chief"), persona("partner")
    chief.email, partner.email = "chef@example.se", "polisen@example.se"
    partner.lagesbild_email = True
    chief.save(), partner.save()
    # Neither gets it: a partner who did not ask, a host who may not read the lägesbild.
    UserFactory(roles=[Role.PARTNER], email="annan@example.se")
    UserFactory(roles=[Role.HOST], email="vard@example.se", lagesbild_email=True)
    return chief, partner


def send_week(at=MONDAY) -> dict:
    weekly_lagesbild(timestamp=int(at.timestamp()))
    run_queued_jobs()
    return {message.to[0]: message for message in mail.outbox}


def test_the_chief_and_the_subscribed_partner_get_the_week_just_ended(readers, logged):
    sent = send_week()
    assert sorted(sent) == ["chef@example.se", "polisen@example.se"]
    for message in sent.values():
        assert message.subject == "Lägesbild: Vecka 47, 16–22 november 2026"
        html, kind = message.alternatives[0]
        assert kind == "text/html"
        link = "https://trygghet.example.se/lagesbild/report/?period=week&amp;on=2026-11-22"
        assert link in html
        assert "https://trygghet.example.se/lagesbild/report/?period=week&on=2026-11-22" in (
            message.body
        )
        assert "Händelser: 6" in message.body


def test_partners_get_figures_only_as_on_their_pages(readers, logged):
    sent = send_week()
    chief, partner = sent["chef@example.se"].body, sent["polisen@example.se"].body
    # The buildings' deviations are the municipality's own follow-up, not on a partner's page.
    assert "Avvikelser vid byggnaderna" in chief and "Avvikelser vid byggnaderna" not in partner
    for message in sent.values():
        assert "PERSONUPPGIFT" not in message.body
        assert "PERSONUPPGIFT" not in message.alternatives[0][0]


def test_the_week_goes_out_once_whatever_runs_again(readers):
    send_week()
    assert len(mail.outbox) == 2
    send_week()  # a second worker, or the job run again by hand
    assert len(mail.outbox) == 2


def test_the_twin_hour_sends_nothing(readers):
    weekly_lagesbild(timestamp=int(TWIN.timestamp()))
    assert queued_jobs() == []


def test_a_reader_who_left_before_the_job_ran_gets_nothing(readers):
    chief, partner = readers
    weekly_lagesbild(timestamp=int(MONDAY.timestamp()))
    partner.is_active = False
    partner.save()
    run_queued_jobs()
    assert [message.to for message in mail.outbox] == [["chef@example.se"]]
