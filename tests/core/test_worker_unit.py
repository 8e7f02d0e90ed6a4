"""The systemd unit of the background worker: the web service's installation and environment,
restarted on failure, and valid as systemd reads it (where systemd-analyze is installed)."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "trygghet-worker.service"


def test_the_worker_unit_runs_the_worker_with_the_sites_environment():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/trygghet/env"
    assert service["Restart"] == "on-failure"
    assert service["ExecStart"].endswith(" -m trygghet procrastinate worker")
    assert unit["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_worker_unit(tmp_path):
    # The unit names the production interpreter; here this test's own stands in for it.
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace("/opt/trygghet/venv/bin/python", sys.executable))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
