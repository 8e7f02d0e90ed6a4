"""Swedish pages write dates the Swedish way ("30 nov 2026", "Måndag 30 november"), never the
ISO or English form, and no select offers Django's "---------"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.patrols.factories import make_shift

STHLM = ZoneInfo("Europe/Stockholm")


def test_short_formats_are_swedish():
    with translation.override("sv"):
        assert date_format(date(2026, 11, 30), "SHORT_DATE_FORMAT") == "30 nov 2026"
        moment = datetime(2026, 11, 30, 21, 15, tzinfo=STHLM)
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "30 nov 2026 21:15"


def test_a_day_that_starts_a_line_starts_with_a_capital(client_as, persona):
    monday = datetime(2026, 11, 30, 21, 0, tzinfo=STHLM)
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=STHLM), tick=False):
        make_shift(hosts=[persona("host")], start=monday)
        page = client_as("host").get(reverse("patrols:my-shifts")).content.decode()
    assert "Måndag 30 november" in page


def test_empty_choices_are_words(client_as, persona):
    make_shift(hosts=[persona("host")], active=True)
    page = client_as("host").get(reverse("incidents:citizen-contact-create")).content.decode()
    assert "---------" not in page
    assert "Inget valt" in page
    page = client_as("chief").get(reverse("incidents:reference-create", args=["numbers"]))
    assert "---------" not in page.content.decode()
    assert ">Välj<" in page.content.decode()
