"""Each host's shifts, and the team's for the chief, as an iCalendar feed at a private,
revocable address; parsed back with icalendar across both clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from patrols.models import CalendarFeed
from patrols.services import calendar_feed_for, shift_cancel
from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.patrols.factories import VehicleFactory, make_shift

STHLM = ZoneInfo("Europe/Stockholm")
AUTUMN = datetime(2026, 10, 24, 21, tzinfo=STHLM)  # the clocks go back at 03:00 that night
SPRING = datetime(2027, 3, 27, 21, tzinfo=STHLM)  # forward at 02:00
BEFORE = datetime(2026, 10, 1, 8, tzinfo=UTC)


def _shift_until_three(host, start, **options):
    """21:00 to 03:00 local: seven hours in autumn, five in spring."""
    end = datetime.combine(start.date() + timedelta(days=1), datetime.min.time().replace(hour=3))
    hours = (end.replace(tzinfo=STHLM).astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    return make_shift(hosts=[host], start=start.astimezone(UTC), hours=hours / 3600, **options)


def _events(client, user):
    token = calendar_feed_for(user=user).token
    response = client.get(reverse("patrols:calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@time_machine.travel(BEFORE, tick=False)
def test_the_feed_keeps_local_times_across_both_clock_changes(client, persona):
    host = persona("host")
    autumn = _shift_until_three(host, AUTUMN, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    spring = _shift_until_three(host, SPRING)
    calendar, events = _events(client, host)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    assert {sub.name for sub in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    for shift, hours in ((autumn, 7), (spring, 5)):
        event = events[f"shift-{shift.pk}@testserver"]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
        assert (start.hour, start.minute, end.hour, end.minute) == (21, 0, 3, 0)
        assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)
        assert start.astimezone(UTC) == shift.planned_start
        assert end.astimezone(UTC) == shift.planned_end
    assert str(events[f"shift-{autumn.pk}@testserver"]["summary"]) == "Pass i Trygghetsbil 1"


@time_machine.travel(BEFORE, tick=False)
def test_a_host_sees_their_own_shifts_and_the_chief_the_teams(client, persona):
    mine = _shift_until_three(persona("host"), AUTUMN)
    theirs = _shift_until_three(persona("other_host"), AUTUMN)
    cancelled = _shift_until_three(persona("host"), SPRING)
    shift_cancel(shift=cancelled)
    _calendar, host_events = _events(client, persona("host"))
    assert set(host_events) == {f"shift-{mine.pk}@testserver", f"shift-{cancelled.pk}@testserver"}
    assert str(host_events[f"shift-{cancelled.pk}@testserver"]["status"]) == "CANCELLED"
    _calendar, team = _events(client, persona("chief"))
    assert {f"shift-{mine.pk}@testserver", f"shift-{theirs.pk}@testserver"} <= set(team)
    assert str(persona("other_host")) in str(team[f"shift-{theirs.pk}@testserver"]["description"])


def test_a_new_address_revokes_the_old_one(client_as, client, persona):
    old = calendar_feed_for(user=persona("host")).token
    response = client_as("host").post(reverse("patrols:calendar"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=persona("host")).token
    assert new != old
    assert client.get(reverse("patrols:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("patrols:calendar-feed", args=[new])).status_code == 200


def test_the_feed_is_gone_for_a_user_who_no_longer_works_shifts(client, persona):
    token = calendar_feed_for(user=persona("host")).token
    host = persona("host")
    host.is_active = False
    host.save(update_fields=["is_active"])
    assert client.get(reverse("patrols:calendar-feed", args=[token])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=200,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=403,
    ),
)
def test_the_calendar_page_by_role(client_as, role, expected):
    response = client_as(role).get(reverse("patrols:calendar"))
    assert_answer(response, expected)
    if expected == 200:
        assert "/patrols/calendar/" in response.content.decode()
        assert ".ics" in response.content.decode()


def test_an_unknown_address_is_a_404(client, db):
    url = reverse("patrols:calendar-feed", args=["6f1c6d8e-8f5e-4a0e-9a43-2f3c6f1d2e3a"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=DONE,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
        dpo=403,
    ),
)
def test_making_a_new_address_by_role(client_as, role, expected):
    url = reverse("patrols:calendar")
    assert_answer(client_as(role).post(url), expected, done=url)
