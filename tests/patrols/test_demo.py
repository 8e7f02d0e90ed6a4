"""The demo town's patrols: believable, valid and safe to build twice."""

import io
from datetime import UTC, datetime

import time_machine
from django.core.management import call_command

from patrols.geo import validate_boundary
from patrols.models import Area, Assignment, Shift, ShiftState, Vehicle, Visit
from patrols.services import shift_start
from trygghet.accounts.models import User

EVENING = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 17:30 in Stockholm, a Friday


@time_machine.travel(EVENING, tick=False)
def test_demo_patrols_are_valid_and_built_once(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    counts = [Area.objects.count(), Assignment.objects.count(), Shift.objects.count()]
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    assert [Area.objects.count(), Assignment.objects.count(), Shift.objects.count()] == counts
    assert counts[0] >= 12
    for area in Area.objects.all():
        validate_boundary(area.boundary)
    assert Vehicle.objects.count() == 2
    assert Shift.objects.filter(state=ShiftState.CLOSED).count() > 150
    assert Visit.objects.count() > 1000
    assert not Visit.objects.filter(left_at__isnull=True).exists()


@time_machine.travel(EVENING, tick=False)
def test_demo_host_can_start_tonights_shift(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    vard1 = User.objects.get(username="vard1")
    tonight = Shift.objects.for_host(vard1).get(state=ShiftState.PLANNED)
    assert set(tonight.hosts.values_list("username", flat=True)) == {"vard1", "vard2"}
    shift_start(shift=tonight, by=vard1, vehicle=tonight.vehicle, phone_line=tonight.phone_line)
