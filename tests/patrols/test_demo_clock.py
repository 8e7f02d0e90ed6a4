"""The demo under fixed clocks: the host's shift and "tonight" are the same night before noon,
nothing is logged before it happened or after the demo's now, nothing updated before created."""

import io
from datetime import UTC, date, datetime

import time_machine
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from incidents.models import Escalation, FollowUp, Incident
from patrols import panels
from patrols.models import Area, AreaVersion, Assignment, Shift, ShiftState
from patrols.selectors import areas_on_night, shift_for_host_now
from patrols.services import shift_start
from trygghet.accounts.models import User
from trygghet.core.time import operational_night

MONDAY_1030 = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)  # 10:30 in Stockholm
MONDAY_0700 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def _tonight_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.tonight(request)


@time_machine.travel(MONDAY_1030, tick=False)
def test_at_half_past_ten_on_monday_the_host_sees_mondays_areas(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    vard1 = User.objects.get(username="vard1")
    shift = shift_for_host_now(vard1, timezone.now())
    assert shift.state == ShiftState.PLANNED
    assert operational_night(shift.planned_start) == date(2026, 11, 30)
    assert timezone.localtime(shift.planned_start).date() == date(2026, 11, 30)
    shown = [card["area"] for card in _tonight_for(vard1)["cards"]]
    monday = [entry.area for entry in areas_on_night(date(2026, 11, 30), shift.vehicle)]
    assert shown == monday and shown
    shift_start(shift=shift, by=vard1, vehicle=shift.vehicle, phone_line=shift.phone_line)


@time_machine.travel(MONDAY_0700, tick=False)
def test_early_in_the_morning_the_demo_shift_is_still_mondays(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    shift = shift_for_host_now(User.objects.get(username="vard1"), timezone.now())
    assert operational_night(shift.planned_start) == date(2026, 11, 30)


@time_machine.travel(MONDAY_1030, tick=False)
def test_demo_times_are_in_order(db):
    call_command("demo_data", "--incidents", "400", stdout=io.StringIO())
    now = timezone.now()
    incidents = Incident.objects.all()
    assert incidents.count() == 400
    assert not incidents.filter(created_at__lt=F("occurred_at")).exists()
    assert not incidents.filter(updated_at__lt=F("created_at")).exists()
    assert not incidents.filter(created_at__gt=now).exists()
    assert not incidents.filter(occurred_at__gt=now).exists()
    assert not Escalation.objects.filter(called_at__gt=now).exists()
    assert not Escalation.objects.filter(created_at__gt=now).exists()
    assert not FollowUp.objects.filter(at__gt=now).exists()
    # Every demo area has its boundary's history, one of them two versions.
    assert AreaVersion.objects.values("area").distinct().count() == Area.objects.count()
    assert AreaVersion.objects.filter(number=2).exists()
    # The cars' logbooks run on, and one assignment is a car's own.
    assert Shift.objects.filter(odometer_end__gt=F("odometer_start")).count() > 150
    assert Assignment.objects.filter(vehicle__isnull=False).exists()
