"""No input makes a 5xx: every route, every method it allows, for every role that reaches it.

The routes are not listed by hand. Pages come from walking the URL resolver; their parameters and
form fields from what the pages themselves offer (forms and links, as a browser would find them).
The API comes from its OpenAPI schema: every operation, its query parameters and body fields with
their types. Each gets the classes of bad input that have broken such systems: dates in year 1
and 9999, numbers too large for any column (1e308) and NaN, a body nested 100 000 levels deep, a
1.9 MB string, a spreadsheet formula, and ids that are not the caller's (or do not exist).

A route that was never requested fails the test, so a new page or endpoint is covered the day it
is added.
"""

from __future__ import annotations

import functools
import io
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from patrols.models import Shift, ShiftState
from tests.worker import worker_beating
from trygghet.accounts.models import User
from trygghet.accounts.services import api_token_create

BAD_DAYS = ["0001-01-01", "9999-12-31"]
BAD_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59:59Z"]
BAD_NUMBERS = ["1e308", "NaN"]
HUGE = "x" * 1_900_000
FORMULA = '=HYPERLINK("http://x","y")'
DEEP = "[" * 100_000 + "]" * 100_000
NOT_YOURS = "999999999"

# The demo municipality's people, one per role.
USERS = {
    "chief": "chef",
    "host": "vard1",
    "owner": "agare",
    "partner": "partner",
    "report_client": "rapport",
    "admin": "admin",
    "dpo": "dso",
}
ROLES = ["anonymous", *USERS]
# Routes that only exist in development (DEBUG) to look at the error pages, and signing out,
# which would end the session the rest of the requests need.
SKIPPED = re.compile(r"^(_errors/|accounts/logout/)")
FALLBACK = ("anonymous", "host", "admin")
NOT_REACHED = {301, 302, 401, 403, 404, 405}
DAY_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOMENT_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass
class Route:
    pattern: str
    name: str
    methods: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    params: dict[str, str] = field(default_factory=dict)  # query parameter -> a valid value
    forms: list[tuple[str, str, str, dict[str, tuple[str, str]]]] = field(default_factory=list)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _kind(name: str, input_type: str, value: str) -> str:
    if input_type == "date" or DAY_SHAPE.match(value):
        return "day"
    if input_type == "datetime-local" or MOMENT_SHAPE.match(value):
        return "moment"
    if input_type == "number" or name in ("latitude", "longitude", "lat", "lon"):
        return "number"
    if input_type in ("text", "search", "email", "tel", "url", "textarea", "password"):
        return "text"
    if input_type == "select":
        return "choice"
    return "fixed"


class _Page(HTMLParser):
    """The forms and links of a page, as a browser would find them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, tuple[str, str]]]] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "fields": {},
            }
            self.forms.append((self._form["method"], self._form["action"], self._form["fields"]))
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name or attrs.get("type") == "file":
                return
            input_type = {"textarea": "textarea", "select": "select"}.get(
                tag, attrs.get("type", "text")
            )
            if input_type in ("checkbox", "radio") and name in self._form["fields"]:
                return
            value = attrs.get("value", "")
            self._form["fields"][name] = (_kind(name, input_type, value), value)
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and self._form is not None:
            kind, value = self._form["fields"][self._select]
            if not value and attrs.get("value"):
                self._form["fields"][self._select] = (kind, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _clients() -> dict[str, Client]:
    """The demo municipality (every kind of record, in two departments) and a client per role."""
    call_command("demo_data", "--incidents", "120", stdout=io.StringIO())
    worker_beating()
    # The host's shift tonight is running, so the host's pages (quick log, arrive, night button)
    # are there to be tried.
    now = timezone.now()
    tonight = Shift.objects.for_host(User.objects.get(username="vard1")).filter(planned_end__gt=now)
    tonight.update(state=ShiftState.ACTIVE, actual_start=now - timedelta(hours=1))
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, username in USERS.items():
        user = User.objects.get(username=username)
        if role == "report_client":
            _token, key = api_token_create(user=user, name="no-5xx")
            clients[role] = Client(
                raise_request_exception=False, headers={"authorization": f"Token {key}"}
            )
        else:
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(user)
    return clients


class Probe:
    def __init__(self, clients) -> None:
        self.clients = clients
        self.requests = 0
        self.failures: list[str] = []
        self.covered: set[tuple[str, str]] = set()

    def send(self, role, method, url, *, data=None, body=None, route=None):
        client = self.clients[role]
        self.requests += 1
        if body is not None:
            response = client.generic(method, url, body, content_type="application/json")
        elif method == "GET":
            response = client.get(url, data or {})
        else:
            response = client.generic(
                method,
                url,
                urlencode(data or {}, doseq=True),
                content_type="application/x-www-form-urlencoded",
            )
        if response.status_code >= 500:
            shown = (body or urlencode(data or {}))[:120]
            problem = getattr(response, "exc_info", None)
            cause = repr(problem[1])[:200] if problem else ""
            self.failures.append(f"{response.status_code} {role} {method} {url} {shown} {cause}")
        if route is not None:
            self.covered.add((route, method))
        return response


def _routes() -> dict[str, Route]:
    routes = {}
    for pattern, entry in _walk(get_resolver().url_patterns):
        if SKIPPED.match(pattern) or pattern.startswith("api/v1/"):
            continue
        routes[pattern] = Route(pattern=pattern, name=entry.name or "")
    return routes


@functools.cache
def _route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _bad_values(kind: str, method: str = "GET") -> list[str]:
    return {
        "day": BAD_DAYS,
        "moment": BAD_MOMENTS + BAD_DAYS,
        "number": BAD_NUMBERS,
        # A 1.9 MB query string is no request a browser sends; a 1.9 MB form field is.
        "text": [FORMULA] if method == "GET" else [HUGE, FORMULA],
        "choice": [NOT_YOURS, "-1"],
    }.get(kind, [])


def _fuzz_fields(fields: dict[str, tuple[str, str]], method: str, *, detailed: bool):
    """Sets of values with bad ones in them, the other fields as the page filled them in: one per
    bad value of each field when `detailed`, else each class of bad value in every field at once
    (enough for a second role: a form or serializer checks every field)."""
    valid = {name: value for name, (_kind, value) in fields.items()}
    bad = {name: _bad_values(kind, method) for name, (kind, _value) in fields.items()}
    bad = {name: values for name, values in bad.items() if values}
    if detailed:
        for name, values in bad.items():
            for value in values:
                yield {**valid, name: value}
        return
    for index in range(max((len(values) for values in bad.values()), default=0)):
        yield {**valid, **{name: values[index % len(values)] for name, values in bad.items()}}


def _pages_of(route: str) -> int:
    """Two pages of each route, one of the admin's (it has a page per record of every model)."""
    return 1 if route.startswith("admin/") else 2


def _crawl(probe: Probe, routes: dict[str, Route]) -> None:
    """Visit every page each role can reach from its start, collecting their forms and links;
    two pages of each route are enough (the admin has one per record)."""
    for role in ROLES:
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        queue = ["/", "/start/", "/incidents/", "/patrols/shifts/", "/admin/"]
        if role != "admin":
            queue.remove("/admin/")
        while queue:
            path = queue.pop()
            route = _route_of(path)
            if route not in routes or path in seen or per_route.get(route, 0) >= _pages_of(route):
                continue
            seen.add(path)
            per_route[route] = per_route.get(route, 0) + 1
            response = probe.send(role, "GET", path, route=route)
            routes[route].urls.add(path)
            if response.status_code in NOT_REACHED or "html" not in response.get(
                "Content-Type", ""
            ):
                continue
            routes[route].methods.add(role)
            page = _Page()
            page.feed(response.content.decode(errors="replace"))
            for method, action, fields in page.forms:
                target = urlsplit(action).path or path
                target_route = _route_of(target)
                if target_route in routes:
                    routes[target_route].forms.append((role, method, target, fields))
                    routes[target_route].urls.add(target)
            for link in set(page.links):
                parts = urlsplit(link)
                link_route = _route_of(parts.path)
                if link_route not in routes:
                    continue
                for name, value in parse_qsl(parts.query):
                    routes[link_route].params.setdefault(name, value)
                if parts.path not in seen and per_route.get(link_route, 0) < _pages_of(link_route):
                    queue.append(parts.path)


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# For a route no page links to (posted by a script, or reached only in a state the demo is not
# in): the field names the app's forms and APIs use for times, numbers and text.
GENERIC_FIELDS = {
    "day": ("day", ""),
    "week": ("day", ""),
    "occurred_at": ("moment", ""),
    "at": ("moment", ""),
    "latitude": ("number", ""),
    "longitude": ("number", ""),
    "accuracy": ("number", ""),
    "note": ("text", ""),
    "summary": ("text", ""),
}


def _fill(pattern: str, routes: dict[str, Route]) -> str:
    """A URL for a route pattern: each parameter from a URL of a route that shares the part
    before it, else 1."""
    url = pattern
    for match in PARAMETER.finditer(pattern):
        prefix = pattern[: match.start()]
        value = "1"
        for other in routes.values():
            for known in other.urls:
                rest = known[1:]
                if other.pattern.startswith(prefix) and rest.startswith(url[: match.start()]):
                    value = re.split(r"/", rest[match.start() :], maxsplit=1)[0] or "1"
                    break
            if value != "1":
                break
        url = url.replace(match.group(0), value, 1)
    return "/" + url.replace("^", "").replace("$", "")


def _fuzz_pages(probe: Probe, routes: dict[str, Route]) -> None:
    for route in routes.values():
        if not route.urls:
            url = _fill(route.pattern, routes)
            # No one's, the admin's (who holds every capability) and, outside the admin, the
            # host's.
            roles = ("anonymous", "admin") if route.pattern.startswith("admin/") else FALLBACK
            for role in roles:
                probe.send(role, "GET", url, route=route.pattern)
                for data in _fuzz_fields(GENERIC_FIELDS, "POST", detailed=False):
                    probe.send(role, "POST", url, data=data, route=route.pattern)
            route.urls.add(url)
            continue
        params = {name: (_kind(name, "", value), value) for name, value in route.params.items()}
        for number, role in enumerate(sorted(route.methods)):
            url = min(route.urls)
            for data in _fuzz_fields(params, "GET", detailed=number == 0):
                probe.send(role, "GET", url, data=data, route=route.pattern)
            probe.send(role, "POST", url, data={}, route=route.pattern)
        done = set()
        for role, method, target, fields in route.forms:
            shape = (method, tuple(sorted(fields)))
            detailed = shape not in done and not route.pattern.startswith("admin/")
            if (role, *shape) in done:
                continue
            done.update({shape, (role, *shape)})
            for data in _fuzz_fields(fields, method.upper(), detailed=detailed):
                probe.send(role, method.upper(), target, data=data, route=route.pattern)


def _schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = {
                param["name"]: param.get("schema", {})
                for param in operation.get("parameters", [])
                if param.get("in") == "query"
            }
            body = {}
            content = operation.get("requestBody", {}).get("content", {})
            reference = content.get("application/json", {}).get("schema", {}).get("$ref")
            if reference:
                body = components[reference.rsplit("/", 1)[1]].get("properties", {})
            yield path, method.upper(), params, body


def _schema_kind(schema: dict) -> str:
    kind, shape = schema.get("type"), schema.get("format")
    if shape == "date":
        return "day"
    if shape == "date-time":
        return "moment"
    if kind in ("number", "integer"):
        return "number"
    if kind == "string" and "enum" not in schema:
        return "text"
    return "fixed"


def _json(data: dict) -> str:
    """JSON with the numbers as numbers: 1e308 and NaN (which Python's json writes)."""
    numbers = {"1e308": 1e308, "NaN": float("nan")}
    return json.dumps({name: numbers.get(value, value) for name, value in data.items()})


def _fuzz_api(probe: Probe) -> int:
    ids: dict[str, str] = {}
    operations = 0
    for path, method, params, body in _schema_operations():
        if path.endswith(("/schema/", "/docs/")):
            continue
        operations += 1
        url = path
        if "{id}" in url:
            collection = url.split("{id}")[0]
            if collection not in ids:
                listing = probe.clients["admin"].get(collection).json()
                rows = listing.get("results", listing) if isinstance(listing, dict) else listing
                first = rows[0] if rows and isinstance(rows, list) else {}
                ids[collection] = str(first.get("id", NOT_YOURS))
            url = url.replace("{id}", ids[collection])
        query = {name: (_schema_kind(schema), "") for name, schema in params.items()}
        fields = {name: (_schema_kind(schema), "") for name, schema in body.items()}
        reached = 0
        for role in ROLES:
            response = probe.send(
                role,
                method,
                url,
                data={} if method == "GET" else None,
                body=None if method == "GET" else "{}",
                route=path,
            )
            if response.status_code in (401, 403):
                continue
            detailed = reached == 0
            reached += 1
            if method == "GET":
                for data in _fuzz_fields(query, "GET", detailed=detailed):
                    values = {name: value for name, value in data.items() if value}
                    probe.send(role, "GET", url, data=values, route=path)
                continue
            probe.send(role, method, url, body=DEEP, route=path)
            for data in _fuzz_fields(fields, method, detailed=detailed):
                values = {name: value for name, value in data.items() if value}
                probe.send(role, method, url, body=_json(values), route=path)
    return operations


@pytest.mark.django_db
def test_no_input_makes_a_server_error():
    started = time.monotonic()
    probe = Probe(_clients())
    routes = _routes()
    # The API first: the admin's forms below may change the very users the clients sign in as.
    phases = [time.monotonic()]
    operations = _fuzz_api(probe)
    phases.append(time.monotonic())
    _crawl(probe, routes)
    phases.append(time.monotonic())
    _fuzz_pages(probe, routes)
    phases.append(time.monotonic())
    never = sorted(pattern for pattern, route in routes.items() if not route.urls)
    pairs = len(probe.covered)
    sys.stdout.write(
        f"\nno-5xx: {len(routes)} page routes, {operations} API operations, "
        f"{pairs} route × method pairs, {probe.requests} requests, "
        f"{time.monotonic() - started:.0f} s (API, crawl, pages: "
        f"{', '.join(f'{b - a:.0f}' for a, b in zip(phases, phases[1:], strict=False))} s)\n"
    )
    assert probe.failures == []
    assert never == [], "\n".join(never)
