"""Every role against every URL: `by_role()` makes the parameters and insists on all roles.

@pytest.mark.parametrize(("role", "status"), by_role(anonymous=302, chief=200, host=403, ...))
def test_area_list_access(client_as, role, status):
    assert client_as(role).get(url).status_code == status
"""

import pytest

ROLES = ("anonymous", "chief", "host", "owner", "partner", "report_client", "admin")


def by_role(**expected: int) -> list:
    missing = set(ROLES) - expected.keys()
    unknown = expected.keys() - set(ROLES)
    if missing or unknown:
        raise ValueError(f"by_role() needs every role: missing {missing}, unknown {unknown}")
    return [pytest.param(role, expected[role], id=role) for role in ROLES]
