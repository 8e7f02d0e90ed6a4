import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


DEPLOY = ROOT / "deploy"
INSTALLED_BIN = "/opt/trygghet/bin/"


@pytest.mark.parametrize("unit", sorted(DEPLOY.glob("*.service")), ids=lambda path: path.name)
def test_the_systemd_units_verify(unit, tmp_path):
    """As written, but with the installed commands (not on this machine) as stand-ins."""
    text = unit.read_text()
    assert "EnvironmentFile=/etc/trygghet/env" in text
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in set(re.findall(re.escape(INSTALLED_BIN) + r"([\w.-]+)", text)):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    copy = tmp_path / unit.name
    copy.write_text(text.replace(INSTALLED_BIN, f"{bin_dir}/"))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_proxy_sets_the_headers_the_app_trusts():
    """Every proxied location sets the scheme and appends the client's address last, where
    BEHIND_HTTPS_PROXY reads it (trygghet/core/ratelimit.py), overwriting what a client sent."""
    config = (DEPLOY / "nginx.conf").read_text()
    proxied = config.count("proxy_pass ")
    assert proxied >= 2
    assert config.count("proxy_set_header X-Forwarded-Proto $scheme;") == proxied
    assert config.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == proxied
    assert config.count("proxy_set_header Host $host;") == proxied


def test_the_nginx_example_is_valid(tmp_path):
    nginx = shutil.which("nginx") or pytest.skip("nginx is not installed")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=trygghet.kommun.se", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "trygghet.conf"
    site.write_text(
        (DEPLOY / "nginx.conf")
        .read_text()
        .replace("/etc/ssl/certs/trygghet.kommun.se.pem", str(certificate))
        .replace("/etc/ssl/private/trygghet.kommun.se.key", str(key))
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; include {site}; }}\n"
    )
    done = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(main),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
