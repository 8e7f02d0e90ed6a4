"""The migration that gives a building the same position type as everything else keeps every
building's position."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("properties", "0001_property_register_checks_deviations")]
AFTER = [("properties", "0002_property_position_decimal")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_float_lat_lon_become_decimal_latitude_longitude_with_the_data_kept():
    apps = migrate(BEFORE)
    department = apps.get_model("accounts", "Department").objects.create(name="Skola")
    apps.get_model("properties", "Property").objects.create(
        name="Vallbyskolan",
        address="Skolgatan 3",
        lat=59.61234567,
        lon=16.5411,
        department=department,
    )

    apps = migrate(AFTER)

    building = apps.get_model("properties", "Property").objects.get()
    assert (building.latitude, building.longitude) == (Decimal("59.612346"), Decimal("16.541100"))
