"""The lock files follow pyproject.toml: a dependency added or a bound moved there without
`make lock` fails here, and production's lock holds no dev tool."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, set[str]]:
    """Each package the lock pins, with its versions (one per Python version when they differ)."""
    found: dict[str, set[str]] = {}
    for name, version in PIN.findall((ROOT / lock).read_text()):
        found.setdefault(canonicalize_name(name), set()).add(version)
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME + DEV)],
)
def test_the_lock_pins_every_dependency_within_its_bounds(lock, requirements):
    locked = pins(lock)
    missing = [str(req) for req in requirements if canonicalize_name(req.name) not in locked]
    assert missing == [], f"not in {lock}: run `make lock`"
    outside = [
        f"{req}: {version}"
        for req in requirements
        for version in locked[canonicalize_name(req.name)]
        if not req.specifier.contains(version, prereleases=True)
    ]
    assert outside == [], f"{lock} is older than pyproject.toml: run `make lock`"


def test_both_locks_pin_the_same_versions_and_production_has_no_dev_tools():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev[name] for name in runtime} == runtime
    assert not {canonicalize_name(req.name) for req in DEV} & runtime.keys()


def test_every_pin_has_a_hash():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
        unhashed = [
            entry.split()[0] for entry in entries if "==" in entry and "--hash=" not in entry
        ]
        assert unhashed == [], lock
