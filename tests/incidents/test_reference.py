"""The chief edits the night button's hours, the numbers and the categories on the chief's own
pages, and every change is logged with the chief's name."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from incidents import services
from incidents.models import Category, NightButtonSettings, ServiceNumber
from incidents.selectors import night_button_window, reference_changes
from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.patrols.factories import PhoneLineFactory, make_shift

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=403,
    ),
)
@pytest.mark.parametrize(
    "url", ["/settings/", "/settings/numbers/new/", "/settings/categories/new/"]
)
def test_reference_pages_access(client_as, role, expected, url):
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=403,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
        dpo=403,
    ),
)
def test_saving_the_hours_access(client_as, role, expected):
    response = client_as(role).post(
        "/settings/", {"opens_at": "20:00", "closes_at": "01:00", "lines_on_duty_only": "on"}
    )
    assert_answer(response, expected, done="/settings/")
    assert NightButtonSettings.objects.exists() is (expected == DONE)


def test_the_chiefs_hours_decide_which_calls_are_flagged(client_as, persona):
    client_as("chief").post("/settings/", {"opens_at": "18:00", "closes_at": "23:00"})
    assert str(NightButtonSettings.current()) == "18:00–23:00"
    with time_machine.travel(datetime(2026, 11, 27, 18, 30, tzinfo=STHLM), tick=False):
        make_shift(hosts=[persona("host")], active=True, phone_line=PhoneLineFactory())
    for hour, flagged in ((19, False), (23, True)):
        with time_machine.travel(datetime(2026, 11, 27, hour, 30, tzinfo=STHLM), tick=False):
            call, _ = services.night_button_call_start(by=persona("host"))
            services.night_button_call_end(call=call, by=persona("host"), outcome="arrived")
        assert call.outside_hours is flagged


def test_the_setting_holds_until_the_chief_saves_hours(db, settings):
    settings.NIGHT_BUTTON_HOURS = "20:30-01:30"
    assert (str(night_button_window().start), str(night_button_window().end)) == (
        "20:30:00",
        "01:30:00",
    )


def test_hours_that_never_open_are_refused(client_as):
    response = client_as("chief").post("/settings/", {"opens_at": "21:00", "closes_at": "21:00"})
    assert response.status_code == 400
    assert not NightButtonSettings.objects.exists()


def test_every_change_is_logged_with_who_made_it(client_as, persona):
    chief = client_as("chief")
    number = ServiceNumber.objects.get(name="Socialjouren")
    response = chief.post(
        f"/settings/numbers/{number.pk}/",
        {
            "service": "social_on_call",
            "name": "Socialjouren",
            "number": "08-123 45",
            "active": "on",
            "position": 1,
        },
    )
    assert_answer(response, DONE, done="/settings/")
    chief.post(
        "/settings/categories/new/",
        {
            "code": "fireworks",
            "kind": "event",
            "group": "order",
            "name_sv": "Fyrverkerier",
            "name_en": "Fireworks",
            "default_severity": 2,
            "colour": "#aa3300",
            "active": "on",
            "position": 200,
        },
    )
    assert Category.objects.filter(code="fireworks", name_sv="Fyrverkerier", kind="event").exists()
    changes = reference_changes()
    # One test transaction: both have the same time, so their order is not asserted.
    assert {(c.by, c.kind, c.label, c.what) for c in changes if c.by} == {
        (persona("chief"), "Nummer", "ändrad", "Socialjouren (08-123 45)"),
        (persona("chief"), "Kategori", "tillagd", "Fyrverkerier / Fireworks"),
    }
    page = chief.get("/settings/").content.decode()
    assert "08-123 45" in page and "Fyrverkerier" in page
