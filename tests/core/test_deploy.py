import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DEMO", "SECRET_KEY", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY="a-long-production-secret-from-the-environment-0123456789abcdef",
        ALLOWED_HOSTS="trygghet.example.se",
        DEBUG="false",
    )
    result = subprocess.run(
        # --database: the model checks that need a database too (a constraint naming a field
        # that is gone), which `migrate` runs and plain `check` does not.
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--database",
            "default",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_installed_command_starts_from_production_settings_and_wants_a_secret_key():
    """`python -m trygghet` is manage.py for a server: DEBUG is off unless the environment says
    otherwise (the checkout's manage.py turns it on)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-m", "trygghet", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_collectstatic_works_with_production_settings(tmp_path):
    """The vendored libraries name source maps that are not shipped; fingerprinting must not
    stop at them."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DEMO"}}
    env.update(
        SECRET_KEY="a-long-production-secret-from-the-environment-0123456789abcdef",
        ALLOWED_HOSTS="trygghet.example.se",
        DEBUG="false",
        STATIC_ROOT=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "js/dashboard." in manifest
    assert "vendor/leaflet/leaflet." in manifest
