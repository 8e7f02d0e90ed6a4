import io

from django.apps import apps
from django.core.management import call_command


def purge_step(*, cutoffs, dry_run):
    return [("test rows", 3 if dry_run else 0)]


def test_retention_runs_the_steps_the_apps_declare(db, monkeypatch):
    """An app takes part by naming its step on its AppConfig, not by having a `retention`
    module."""
    for config in apps.get_app_configs():
        monkeypatch.setattr(config, "retention", None, raising=False)
    monkeypatch.setattr(apps.get_app_config("patrols"), "retention", f"{__name__}.purge_step")
    out = io.StringIO()

    call_command("retention", "--dry-run", stdout=out)

    assert out.getvalue() == "patrols: would clear 3 test rows\n"
