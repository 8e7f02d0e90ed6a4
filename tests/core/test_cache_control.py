"""No browser or proxy keeps a copy of what a signed-in user or an API client was shown: every
route, whatever it answers (a page, a redirect, a 404, a 405), says so."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

SAMPLES = {
    "drf_format_suffix": ".json",
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + _path(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _path(pattern.pattern)


def _path(pattern) -> str:
    route = getattr(pattern, "_route", None)
    if route is not None:
        return re.sub(r"<(?:(\w+):)?\w+>", lambda match: SAMPLES[match.group(1) or "str"], route)
    template, params = normalize(pattern.regex.pattern)[0]
    return template % {name: "1" for name in params}


ROUTES = sorted({"/" + route for route in _routes(get_resolver().url_patterns)})


def kept_by_nobody(response) -> bool:
    policy = response.get("Cache-Control", "")
    return "no-store" in policy or "private" in policy


def test_the_list_covers_pages_api_and_admin():
    assert len(ROUTES) > 100
    assert {"/start/", "/api/v1/incidents/", "/admin/"} <= set(ROUTES)


@pytest.mark.parametrize("role", ["admin", "chief", "host"])
def test_every_route_is_private_for_a_signed_in_user(persona, role):
    client = Client(raise_request_exception=False)
    client.force_login(persona(role))
    public = [url for url in ROUTES if not kept_by_nobody(client.get(url))]
    assert public == []


def test_every_api_route_is_private_for_a_program(client_as):
    client = client_as("report_client")
    client.raise_request_exception = False
    public = [
        url for url in ROUTES if url.startswith("/api/") and not kept_by_nobody(client.get(url))
    ]
    assert public == []
