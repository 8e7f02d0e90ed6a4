from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from patrols.models import Area, AreaKind, PhoneLine, ShiftState, Vehicle
from patrols.services import shift_plan


def square(lon: float, lat: float, size: float = 0.004) -> dict:
    """A small square GeoJSON Polygon with its south-west corner at (lon, lat)."""
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Område {n}")
    kind = AreaKind.RESIDENTIAL
    # Side by side along the same latitude, so areas made in one test never overlap.
    boundary = factory.Sequence(lambda n: square(16.50 + 0.01 * n, 59.60))
    notes = "Inbrott i området senaste månaden."


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle
        django_get_or_create = ["registration"]

    registration = factory.Sequence(lambda n: f"ABC{n:03d}")
    name = factory.Sequence(lambda n: f"Trygghet {n}")


class PhoneLineFactory(DjangoModelFactory):
    class Meta:
        model = PhoneLine
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"0700-00 {n:02d} 00")
    name = factory.Sequence(lambda n: f"Linje {n}")


def make_shift(*, hosts, start=None, hours: float = 6, active: bool = False, **options):
    """A shift planned through the service (so the overlap constraint applies); `active=True`
    makes it a shift being worked now, started at its planned start."""
    start = start or timezone.now().replace(microsecond=0)
    shift = shift_plan(
        planned_start=start, planned_end=start + timedelta(hours=hours), hosts=hosts, **options
    )
    if active:
        shift.state = ShiftState.ACTIVE
        shift.actual_start = start
        shift.save(update_fields=["state", "actual_start"])
    return shift
