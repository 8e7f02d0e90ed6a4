"""The systemd unit of the background worker: the web service's installation and environment,
restarted on failure (tests/core/test_deploy.py checks every unit with systemd-analyze)."""

import configparser
from pathlib import Path

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "trygghet-worker.service"


def test_the_worker_unit_runs_the_worker_with_the_sites_environment():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/trygghet/env"
    assert service["Restart"] == "on-failure"
    assert service["ExecStart"] == "/opt/trygghet/bin/trygghet procrastinate worker"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
