"""The trail is append-only in the database: no UPDATE, no DELETE, except the retention step's
delete of rows older than the floor."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from trygghet.audit.models import Read, TokenUse
from trygghet.audit.retention import purge
from trygghet.core.retention_periods import cutoffs


@pytest.fixture
def rows(persona):
    now = timezone.now()
    return [
        Read.objects.create(
            user=persona("chief"), subject_type="incidents.incident", subject_id=1, what="/", at=at
        )
        for at in (now - timedelta(days=4 * 365), now - timedelta(days=200), now)
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda: Read.objects.update(reason="other"),
        lambda: Read.objects.all().delete(),
        lambda: connection.cursor().execute("UPDATE audit_read SET what = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM audit_read"),
    ],
    ids=["orm update", "orm delete", "sql update", "sql delete"],
)
def test_rows_cannot_be_changed_or_deleted(rows, change):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()
    assert Read.objects.count() == 3


def test_the_retention_switch_does_not_open_the_table_to_anyone_else(rows):
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('trygghet_audit.retention', 'on', false)")
        try:
            with pytest.raises(DatabaseError), transaction.atomic():
                Read.objects.filter(pk=rows[1].pk).delete()  # younger than the floor
            with pytest.raises(DatabaseError), transaction.atomic():
                Read.objects.filter(pk=rows[0].pk).update(what="x")  # never an update
        finally:
            cursor.execute("SELECT set_config('trygghet_audit.retention', 'off', false)")


def test_retention_removes_rows_past_their_period_and_nothing_else(rows, settings, persona):
    settings.RETENTION_AUDIT_DAYS = 3 * 365

    removed = purge(cutoffs=cutoffs(timezone.now()), dry_run=False)

    assert [(entry.record_type, entry.count) for entry in removed] == [
        ("reads of personal data", 1),
        ("uses of API tokens", 0),
    ]
    assert list(Read.objects.order_by("at")) == rows[1:]
    with pytest.raises(DatabaseError), transaction.atomic():
        Read.objects.all().delete()  # the switch went off with the step
    assert not TokenUse.objects.exists()
