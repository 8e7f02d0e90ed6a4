import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from trygghet.core.models import RetentionLog
from trygghet.core.retention import run_retention
from trygghet.core.retention_periods import Removed


def purge_step(*, cutoffs, dry_run):
    return [Removed("test rows", 3 if dry_run else 0, "deviations", held=1)]


@pytest.fixture
def only_the_test_step(monkeypatch):
    for config in apps.get_app_configs():
        monkeypatch.setattr(config, "retention", None, raising=False)
    monkeypatch.setattr(apps.get_app_config("patrols"), "retention", f"{__name__}.purge_step")


def test_retention_runs_the_steps_the_apps_declare(db, only_the_test_step):
    """An app takes part by naming its step on its AppConfig, not by having a `retention`
    module."""
    out = io.StringIO()

    call_command("retention", "--dry-run", stdout=out)

    assert out.getvalue() == "patrols: would clear 3 test rows (1 kept under a legal hold)\n"


def test_every_run_is_written_to_the_log_with_its_period(db, only_the_test_step, settings):
    settings.RETENTION_DEVIATION_DAYS = 400

    run_retention(dry_run=True)
    run_retention(dry_run=False)

    logged = [
        (entry.dry_run, entry.app, entry.record_type, entry.removed, entry.period_days, entry.held)
        for entry in RetentionLog.objects.order_by("id")
    ]
    assert logged == [
        (True, "patrols", "test rows", 3, 400, 1),
        (False, "patrols", "test rows", 0, 400, 1),
    ]


@pytest.mark.parametrize(
    ("setting", "days"),
    [
        ("RETENTION_DEVIATION_DAYS", 89),
        ("RETENTION_DEPARTMENT_TASK_DAYS", 89),
        ("RETENTION_NIGHT_BUTTON_DAYS", 89),
        ("RETENTION_DISPATCH_DAYS", 89),
        ("RETENTION_AUDIT_DAYS", 364),
    ],
)
def test_each_period_has_a_floor_and_nothing_is_touched_below_it(db, settings, setting, days):
    setattr(settings, setting, days)

    with pytest.raises(CommandError, match=setting):
        call_command("retention", stdout=io.StringIO())

    assert not RetentionLog.objects.exists()
