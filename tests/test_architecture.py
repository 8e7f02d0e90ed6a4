"""The layers the README describes under "The code", read from the source as an AST walk sees it.

Every import counts: at the top of a module, inside a function (a lazy import), under
TYPE_CHECKING, a relative one, a string handed to importlib.import_module() or import_string(),
a dotted path an AppConfig declares (a start panel's context, a demo or retention step) and a
lazy model reference such as ForeignKey("incidents.Incident").

Each app may import itself and the apps in ALLOWED below, nothing else; since ALLOWED is a strict
order, no two apps import each other. Inside the project no module may take part in an import
cycle.
"""

import ast
from functools import cache
from pathlib import Path
from typing import TypeGuard

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("trygghet", "patrols", "incidents", "properties")

CORE = "trygghet.core"
ACCOUNTS = "trygghet.accounts"
AUDIT = "trygghet.audit"
PUSH = "trygghet.push"
DOMAIN = ("patrols", "incidents", "properties")
TOP = (
    "trygghet.dashboard",
    "trygghet.api",
    "trygghet.dispatch",
    "trygghet.public",
    "trygghet.partners",
)
LABELS = {app.rpartition(".")[2]: app for app in (CORE, ACCOUNTS, AUDIT, PUSH, *DOMAIN, *TOP)}

# What each app may import besides itself and third-party code.
ALLOWED = {
    # The foundation: core is shared pieces with no domain and imports nothing of ours;
    # accounts (users, capabilities, the menu) builds on core.
    CORE: (),
    ACCOUNTS: (CORE,),
    # The audit trail of reads: every app that shows personal data writes to it.
    AUDIT: (CORE, ACCOUNTS),
    # Web Push to the hosts' phones: devices and sending, with no domain of its own; the apps
    # above compose what a notification says and to whom.
    PUSH: (CORE, ACCOUNTS),
    # What the hosts record: patrols stands alone, incidents and properties use it and never each
    # other.
    "patrols": (CORE, ACCOUNTS, AUDIT),
    "incidents": (CORE, ACCOUNTS, AUDIT, "patrols"),
    "properties": (CORE, ACCOUNTS, AUDIT, "patrols"),
    # The top layer reads the domain; the siblings stay out of each other's internals. The
    # lägesbild counts call-outs through the figures dispatch declares, and nothing else of it.
    # The lägesbild counts the partners' weekly reports and shows the EST group's assessments.
    "trygghet.dashboard": (
        CORE,
        ACCOUNTS,
        AUDIT,
        *DOMAIN,
        "trygghet.dispatch.figures",
        "trygghet.partners",
    ),
    "trygghet.dispatch": (CORE, ACCOUNTS, AUDIT, PUSH, *DOMAIN),
    "trygghet.public": (CORE, ACCOUNTS, AUDIT, PUSH, *DOMAIN),
    # The EST group: partner organisations' own weekly reports, in the domain's categories and areas.
    "trygghet.partners": (CORE, ACCOUNTS, AUDIT, *DOMAIN),
    # The API root registers every app's api module, dispatch's too, and nothing else of it;
    # the stats of every source count the partners' rows through their figure declaration.
    "trygghet.api": (
        CORE,
        ACCOUNTS,
        AUDIT,
        *DOMAIN,
        "trygghet.dispatch.api",
        "trygghet.partners.api",
        "trygghet.partners.figures",
    ),
}

IMPORTING_CALLS = {"import_module", "import_string", "find_spec", "__import__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def project_module(dotted: str) -> str | None:
    """The project module a dotted name (a module, or something in one) lives in, if any."""
    modules = project_modules()
    name = dotted
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def app_of(module: str) -> str | None:
    """The app a project module belongs to; None for the project's own modules (settings, urls)."""
    return next(
        (app for app in ALLOWED if module == app or module.startswith(app + ".")),
        None,
    )


def is_model_reference(value) -> TypeGuard[str]:
    return isinstance(value, str) and value.count(".") == 1 and value.split(".")[1][:1].isupper()


def is_dotted_path(value) -> bool:
    return (
        isinstance(value, str)
        and value.split(".")[0] in PACKAGES
        and value.count(".") >= 1
        and all(part.isidentifier() for part in value.split("."))
    )


def referenced_names(module: str, path: Path):
    """Every name the module imports or names as a module, as written (not yet resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            # `from trygghet.dispatch import api` imports the module trygghet.dispatch.api.
            yield from (f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in IMPORTING_CALLS and isinstance(node.args[0], ast.Constant):
                yield node.args[0].value
        elif (
            isinstance(node, ast.Constant)
            and is_model_reference(node.value)
            and node.value.split(".")[0] in LABELS
        ):
            yield LABELS[node.value.split(".")[0]]
        elif isinstance(node, ast.Constant) and is_dotted_path(node.value):
            yield node.value


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Each project module and the project modules it imports."""
    graph = {}
    for module, path in project_modules().items():
        found = {project_module(name) for name in referenced_names(module, path)}
        graph[module] = frozenset(name for name in found - {module} if name is not None)
    return graph


def test_the_walk_sees_every_way_of_importing(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import importlib\n"
        "from django.utils.module_loading import import_string\n"
        "from . import sibling\n"
        "from trygghet.dispatch import api\n"
        "if TYPE_CHECKING:\n"
        "    from trygghet.core.periods import Nights\n"
        "def later():\n"
        "    from trygghet.dashboard.selectors import lagesbild\n"
        "    importlib.import_module('trygghet.public.selectors')\n"
        "    return import_string('trygghet.api.stats.StatsView')\n"
        "step = 'incidents.demo.build'\n"
        "area = 'patrols.Area'\n"
    )
    assert set(referenced_names("properties.module", source)) >= {
        "properties.sibling",
        "trygghet.dispatch.api",
        "trygghet.core.periods.Nights",
        "trygghet.dashboard.selectors.lagesbild",
        "trygghet.public.selectors",
        "trygghet.api.stats.StatsView",
        "incidents.demo.build",
        "patrols",
    }


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_layers_below_it(app):
    allowed = (app, *ALLOWED[app])
    offenders = [
        f"{module} imports {imported}"
        for module, imports in sorted(import_graph().items())
        if app_of(module) == app
        for imported in sorted(imports)
        if not any(imported == ok or imported.startswith(ok + ".") for ok in allowed)
    ]
    assert offenders == []


def test_every_module_of_the_apps_is_in_a_layer():
    """A new app must be given its place in ALLOWED before it can import anything. Only the
    project's own modules (settings, urls, wsgi) stand outside the apps, above them all."""
    outside = [
        module
        for module, path in project_modules().items()
        if app_of(module) is None and path.parent != ROOT / "trygghet"
    ]
    assert outside == []


def cycles(graph: dict[str, frozenset[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component: set[str] = set()
            while not component or module not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_cycles_finds_a_circle_of_three():
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_no_module_imports_itself_round_a_circle():
    """Among the apps' modules; the project's settings and wsgi name each other, but only as
    strings Django reads."""
    graph = {
        module: frozenset(imported for imported in imports if app_of(imported))
        for module, imports in import_graph().items()
        if app_of(module)
    }
    assert cycles(graph) == []


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
