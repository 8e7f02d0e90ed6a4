"""The rows the forms once let through with year 1 (stored as a year BC that no page could read)
are mended before the database starts refusing such times."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("incidents", "0005_index_by_time_for_the_lagesbild")]
AFTER = [("incidents", "0007_readable_times_and_bounded_text")]
SAVED = datetime(2026, 11, 27, 22, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Later tests need every migration applied, the newer ones too."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def set_year_one(table: str, column: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = '0001-01-01 00:00+00' WHERE id = %s", [pk])


def test_year_one_times_become_the_time_the_row_was_saved():
    apps = migrate(BEFORE)
    host = apps.get_model("accounts", "User").objects.create(username="vard1")
    category = apps.get_model("incidents", "Category").objects.first()
    incident = apps.get_model("incidents", "Incident").objects.create(
        occurred_at=SAVED, created_at=SAVED, reported_by=host, category=category, severity=2
    )
    set_year_one("incidents_incident", "occurred_at", incident.pk)
    # Recorded half an hour after the police arrived: the stand-in may not follow the arrival.
    arrived = SAVED + timedelta(minutes=5)
    call = apps.get_model("incidents", "Escalation").objects.create(
        incident=incident,
        service="police",
        called_at=SAVED,
        arrived_at=arrived,
        created_at=SAVED + timedelta(minutes=35),
        recorded_by=host,
    )
    set_year_one("incidents_escalation", "called_at", call.pk)
    contact = apps.get_model("incidents", "CitizenContact").objects.create(
        received_at=SAVED, created_at=SAVED, channel="in_person", recorded_by=host
    )
    set_year_one("incidents_citizencontact", "received_at", contact.pk)

    apps = migrate(AFTER)

    assert apps.get_model("incidents", "Incident").objects.get().occurred_at == SAVED
    assert apps.get_model("incidents", "Escalation").objects.get().called_at == arrived
    assert apps.get_model("incidents", "CitizenContact").objects.get().received_at == SAVED
