"""The layers the README describes under "The code": patrols never depends on incidents or
properties, and the domain apps never reach up into the dashboard, API root or dispatch."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TOP_LAYER = ("trygghet.dashboard", "trygghet.api", "trygghet.dispatch", "trygghet.public")
FORBIDDEN = {
    "patrols": ("incidents", "properties", *TOP_LAYER),
    "incidents": ("properties", *TOP_LAYER),
    "properties": ("incidents", *TOP_LAYER),
}


def is_model_reference(node) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.count(".") == 1
        and node.value.split(".")[1][:1].isupper()
    )


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif is_model_reference(node):
            # Lazy model references such as ForeignKey("incidents.Incident").
            yield node.value.split(".")[0]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_does_not_import_upwards_or_sideways(app):
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / app).rglob("*.py")
        for module in imported_modules(path)
        if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN[app])
    ]
    assert offenders == []


def test_patrols_templates_do_not_use_incidents_or_properties():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / "patrols").rglob("*.html")
        if any(
            f"'{app}:" in path.read_text() or f'"{app}:' in path.read_text()
            for app in ("incidents", "properties")
        )
    ]
    assert offenders == []


@pytest.mark.parametrize("app", ["patrols", "incidents", "properties"])
def test_domain_templates_do_not_link_to_dispatch(app):
    """Dispatch sits on top: the domain apps' pages never name its URLs."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / app).rglob("*.html")
        if "'dispatch:" in path.read_text() or '"dispatch:' in path.read_text()
    ]
    assert offenders == []
