"""Shifts as an iCalendar feed (RFC 5545) that a phone's or desktop's calendar app subscribes to,
and the two pages of it: the user's own address (to copy or revoke) and the feed.

Times are written in local time with a VTIMEZONE for Europe/Stockholm, not in UTC, so a calendar
app shows "21:00–03:00" on the autumn night too, and an event moved by the chief keeps its UID."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from patrols import permissions, services
from patrols.models import CalendarFeed, Shift, ShiftQuerySet, ShiftState
from patrols.selectors import with_hosts
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability, can
from trygghet.core.time import local_tz

# A calendar app fetches the whole feed each time: what is worth seeing there.
PAST = timedelta(days=60)
FUTURE = timedelta(days=366)


def feed_shifts(shifts: ShiftQuerySet) -> ShiftQuerySet:
    now = timezone.now()
    return with_hosts(
        shifts.filter(planned_end__gt=now - PAST, planned_start__lt=now + FUTURE)
    ).order_by("planned_start", "id")


def shifts_calendar(shifts: ShiftQuerySet, *, name: str, host: str) -> bytes:
    """The shifts as a VCALENDAR. A cancelled shift stays in, marked CANCELLED, so that a
    calendar that had it removes it."""
    tz = local_tz()
    calendar = Calendar()
    calendar.add("prodid", "-//Trygghet//Arbetspass//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for shift in feed_shifts(shifts):
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.start.astimezone(tz))
        event.add("dtend", shift.end.astimezone(tz))
        event.add("summary", _summary(shift))
        hosts = ", ".join(str(row.host) for row in shift.shift_hosts.all() if not row.cancelled)
        if hosts:
            event.add("description", _("Hosts: {names}").format(names=hosts))
        event.add("status", "CANCELLED" if shift.state == ShiftState.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _summary(shift: Shift) -> str:
    if shift.vehicle is not None:
        return _("Shift in {car}").format(car=shift.vehicle.name)
    return _("Shift")


# --- Views

calendar_users = capability_required(Capability.PLAN_PATROLS, Capability.WORK_SHIFTS)


@calendar_users
def calendar_page(request):
    """The user's private feed address, to copy into a calendar app, and a way to revoke it."""
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user)
        messages.success(
            request, _("You have a new address. The old one no longer works: subscribe again.")
        )
        return redirect("patrols:calendar")
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(reverse("patrols:calendar-feed", args=[feed.token]))
    return render(
        request,
        "patrols/calendar.html",
        {
            "feed": feed,
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "team": can(request.user, Capability.PLAN_PATROLS),
        },
    )


@require_GET
def calendar_feed(request, token):
    """The feed itself: a calendar app cannot sign in, so the unguessable address is the key.
    A revoked address, or a user who no longer works shifts, is a 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    shifts = permissions.calendar_shifts_for(feed.user)
    if shifts is None:
        raise Http404
    team = can(feed.user, Capability.PLAN_PATROLS)
    body = shifts_calendar(
        shifts,
        name=_("Trygghet: the team's shifts") if team else _("Trygghet: my shifts"),
        host=request.get_host(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trygghet.ics"'
    return response
