"""Every role against every URL: `by_role()` makes the parameters and insists on all roles.

@pytest.mark.parametrize(("role", "expected"), by_role(anonymous=LOGIN, chief=200, host=403, ...))
def test_area_list_access(client_as, role, expected):
    assert_answer(client_as(role).get(url), expected)

A redirect is never a bare 302, which would read the same for the sign-in page and for a write
that worked: `LOGIN` is the sign-in page coming back to the URL asked for, `DONE` the redirect
after a write, whose Location the test names (`assert_answer(response, expected, done=url)`)
and whose effect it checks.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

ROLES = ("anonymous", "chief", "host", "owner", "partner", "report_client", "admin", "dpo")
LOGIN = "302 to the sign-in page"
DONE = "302 after the write"


def by_role(**expected: int | str) -> list:
    missing = set(ROLES) - expected.keys()
    unknown = expected.keys() - set(ROLES)
    if missing or unknown:
        raise ValueError(f"by_role() needs every role: missing {missing}, unknown {unknown}")
    if 302 in expected.values():
        raise ValueError("by_role(): a redirect is LOGIN or DONE, not 302")
    return [pytest.param(role, expected[role], id=role) for role in ROLES]


def assert_answer(response, expected: int | str, *, done: str | None = None) -> None:
    """The response is `expected`: a status code, LOGIN or DONE (a 302 to `done`)."""
    if expected == LOGIN:
        asked = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            asked += "?" + response.request["QUERY_STRING"]
        location = urlsplit(response.get("Location", ""))
        assert (response.status_code, location.path) == (302, reverse("login")), asked
        assert parse_qs(location.query) == {"next": [asked]}
    elif expected == DONE:
        assert done is not None, "DONE needs the Location the write redirects to"
        assert (response.status_code, response.get("Location")) == (302, done)
    else:
        assert response.status_code == expected, response.get("Location")
