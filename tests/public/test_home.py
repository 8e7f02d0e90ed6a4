from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from trygghet.public.selectors import night_button_status

STHLM = ZoneInfo("Europe/Stockholm")


def at(*args):
    return datetime(*args, tzinfo=STHLM)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (at(2026, 11, 27, 20, 59), "Stängt nu, öppnar kl. 21:00"),
        (at(2026, 11, 27, 21, 0), "Öppet nu, till 02:00"),
        (at(2026, 11, 28, 1, 59), "Öppet nu, till 02:00"),
        (at(2026, 11, 28, 2, 0), "Stängt nu, öppnar kl. 21:00"),
        (at(2026, 11, 28, 12, 0), "Stängt nu, öppnar kl. 21:00"),
    ],
)
def test_live_status_around_the_window(client, db, moment, text):
    with time_machine.travel(moment, tick=False):
        page = client.get("/").content.decode()
    assert text in page


@pytest.mark.parametrize(
    ("moment", "is_open", "hours_left"),
    [
        # Spring forward, 29 March 2026 02:00 → 03:00: the window still closes at 02:00.
        (at(2026, 3, 29, 1, 30), True, 0.5),
        (datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("UTC")), False, None),  # 03:00 CEST
        # Fall back, 25 October 2026 03:00 → 02:00: 01:30 happens once, 02:30 twice.
        (at(2026, 10, 25, 1, 30), True, 0.5),
        (datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC")), False, None),  # first 02:30
        (datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC")), False, None),  # second 02:30
    ],
)
def test_live_status_on_dst_nights(db, moment, is_open, hours_left):
    status = night_button_status(moment)
    assert status.open is is_open
    if is_open:
        assert (status.closes_at - moment).total_seconds() == hours_left * 3600
    else:
        assert status.opens_at.astimezone(STHLM).hour == 21


def test_hours_follow_the_setting(client, db, settings):
    settings.NIGHT_BUTTON_HOURS = "20:00-01:00"
    with time_machine.travel(at(2026, 11, 27, 20, 30), tick=False):
        page = client.get("/").content.decode()
    assert "Öppet nu, till 01:00" in page
    assert "Varje dag 20:00–01:00" in page


def test_phone_numbers_are_tel_links_from_the_data(client, db):
    page = client.get("/").content.decode()
    for number, digits in [
        ("0722-31 39 41", "0722313941"),
        ("0722-31 40 69", "0722314069"),
        ("0722-31 70 19", "0722317019"),
    ]:
        assert f'href="tel:{digits}"' in page
        assert number in page
    assert 'href="tel:112"' in page


def test_inactive_lines_are_not_listed(client, db):
    from patrols.models import PhoneLine

    PhoneLine.objects.filter(number="0722-31 70 19").update(active=False)
    page = client.get("/").content.decode()
    assert "0722-31 70 19" not in page
    assert "0722-31 39 41" in page  # the other lines still are


def test_page_says_what_the_hosts_do_and_when_to_call_112(client, db):
    page = client.get("/").content.decode()
    assert "kan inte omhänderta eller avvisa någon" in page
    assert "polisen, väktare, ambulans eller räddningstjänsten" in page
    assert "112" in page
    assert "inbrott" in page


def test_page_is_readable_without_javascript(client, db):
    # Everything is in the served HTML: the status, the numbers and the texts.
    page = client.get("/").content.decode()
    assert "Nattknappen" in page
    assert "<noscript>" not in page


def test_page_is_not_cached(client, db):
    assert "no-cache" in client.get("/")["Cache-Control"]


def test_english_page(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "cannot take anyone into custody or turn anyone away" in page


def test_the_report_form_offers_the_pages_examples(client, db):
    page = client.get("/").content.decode()
    for example in ("Folksamling eller oljud", "Nedskräpning", "Klotter", "Skadegörelse"):
        assert example in page


LINES = ["0722-31 39 41", "0722-31 40 69", "0722-31 70 19"]


@pytest.mark.parametrize(("on_duty_only", "shown"), [(False, LINES), (True, ["0722-31 40 69"])])
def test_the_chief_may_list_only_the_cars_on_duty(client, persona, on_duty_only, shown):
    from incidents.models import NightButtonSettings
    from patrols.models import PhoneLine
    from tests.patrols.factories import make_shift

    NightButtonSettings.objects.create(
        pk=1, opens_at="21:00", closes_at="02:00", lines_on_duty_only=on_duty_only
    )
    make_shift(
        hosts=[persona("host")],
        active=True,
        phone_line=PhoneLine.objects.get(number="0722-31 40 69"),
    )
    page = client.get("/").content.decode()
    assert [line for line in LINES if line in page] == shown


def test_with_no_car_on_duty_every_line_is_listed(client, db):
    from incidents.models import NightButtonSettings

    NightButtonSettings.objects.create(
        pk=1, opens_at="21:00", closes_at="02:00", lines_on_duty_only=True
    )
    page = client.get("/").content.decode()
    assert all(line in page for line in LINES)
