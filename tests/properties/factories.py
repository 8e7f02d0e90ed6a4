from datetime import time
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from properties.models import Property
from properties.services import property_check_create
from tests.accounts.factories import DepartmentFactory


class PropertyFactory(DjangoModelFactory):
    """A school that closes at 22:00 every day unless told otherwise."""

    class Meta:
        model = Property

    name = factory.Sequence(lambda n: f"Skola {n}")
    address = factory.Sequence(lambda n: f"Skolgatan {n}")
    latitude = factory.Sequence(lambda n: Decimal("59.600000") + Decimal("0.001") * n)
    longitude = Decimal("16.540000")
    department = factory.SubFactory(DepartmentFactory)
    closes_monday = time(22)
    closes_tuesday = time(22)
    closes_wednesday = time(22)
    closes_thursday = time(22)
    closes_friday = time(22)
    closes_saturday = time(22)
    closes_sunday = time(22)
    access_notes = "Nyckel 12 i nyckelskåpet, larmkod 4711."


def check(property, host, *, failed=(), **options):
    """A check by a host on an active shift through the service; `failed` items not in order."""
    results = {item: item not in failed for item in property.checklist}
    if failed:
        options.setdefault("actions", ["locked"])
    return property_check_create(property=property, by=host, results=results, **options)[0]
