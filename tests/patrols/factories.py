from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from patrols.models import (
    Area,
    AreaKind,
    AreaVersion,
    Assignment,
    ConsultedWith,
    PhoneLine,
    Priority,
    ShiftState,
    Vehicle,
)
from patrols.services import shift_plan
from tests.accounts.factories import UserFactory, partner_organisation

STHLM = ZoneInfo("Europe/Stockholm")
# A Friday evening in November, far from clock changes, and an hour into it.
FRIDAY_21 = datetime(2026, 11, 27, 21, tzinfo=STHLM).astimezone(UTC)
DURING = FRIDAY_21 + timedelta(hours=1)


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


class AreaFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Område {n}")
    kind = AreaKind.RESIDENTIAL
    # Side by side along the same latitude, so areas made in one test never overlap.
    boundary = factory.Sequence(lambda n: square(16.50 + 0.01 * n, 59.60))
    notes = "Inbrott i området senaste månaden."

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        """The boundary's first version, as the service makes it."""
        if create:
            AreaVersion.objects.create(area=obj, number=1, boundary=obj.boundary)

    @factory.post_generation
    def partner_scope(obj, create, extracted, **kwargs):
        """In the partner persona's scope unless `partner_scope=False`."""
        if create and extracted is not False:
            partner_organisation().areas.add(obj)


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


class AssignmentFactory(DjangoModelFactory):
    """Every day 21:00–02:00 from 2026-01-01, high priority."""

    class Meta:
        model = Assignment

    area = factory.SubFactory(AreaFactory)
    reason = "Oro vid busshållplatsen kvällstid."
    priority = Priority.HIGH
    valid_from = date(2026, 1, 1)
    weekdays = list(range(7))
    start_time = time(21)
    end_time = time(2)
    consulted_with = ConsultedWith.POLICE
    consulted_on = date(2025, 12, 15)
    consultation_note = "Samråd med kommunpolisen Anna Ek."
    created_by = factory.SubFactory(UserFactory)
