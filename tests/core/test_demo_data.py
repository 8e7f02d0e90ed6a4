import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from trygghet.accounts.models import User


def test_demo_data_makes_every_role_and_is_safe_twice(db):
    out = io.StringIO()
    call_command("demo_data", "--incidents", "0", stdout=out)
    call_command("demo_data", "--incidents", "0", stdout=out)
    users = {u.username: u for u in User.objects.all()}
    assert {"chef", "vard1", "vard2", "agare", "partner", "rapport", "admin"} <= users.keys()
    assert users["agare"].department is not None
    assert users["chef"].has_perm("accounts.plan_patrols")
    # The demo partner reads for the police area, which sees the whole town.
    assert users["partner"].organisation.name == "Polisen, lokalpolisområde Centrum"
    assert users["partner"].organisation.all_areas
    assert "chef" in out.getvalue()


def test_demo_data_refuses_outside_demo_mode(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError):
        call_command("demo_data")
    assert not User.objects.exists()


built: list[str] = []


def record_demo_step(ctx):
    built.append(ctx.seed)


def test_demo_data_runs_the_steps_the_apps_declare(db, monkeypatch):
    """An app takes part by naming its step on its AppConfig, not by having a `demo` module."""
    for config in apps.get_app_configs():
        monkeypatch.setattr(config, "demo_data", None, raising=False)
    monkeypatch.setattr(apps.get_app_config("patrols"), "demo_data", f"{__name__}.record_demo_step")
    built.clear()

    call_command("demo_data", "--incidents", "0", "--seed", "7", stdout=io.StringIO())

    assert built == [7]
    assert not User.objects.exists()
