"""Shared personas: one user per role, plus a colleague and an outsider for ownership tests.

`persona("host")` is a safety host, `persona("other_host")` a second one; `persona("owner")`
owns the buildings of `department`, `persona("other_owner")` those of another department.
`persona("partner")` belongs to `partner_organisation`, whose scope is limited on every side
(tests/accounts/factories.py: the areas AreaFactory makes unless `partner_scope=False`, every
category group but violence, the nights of 2020–2029). `client_as(role)` is a Django test client signed in as that
persona; the report client authenticates with an API token instead, as programs do.

`sso` turns on single sign-on against a real OpenID provider on 127.0.0.1 (oidc-provider-mock,
tests/accounts/provider.py), with the municipality's groups mapped to roles.
"""

import pytest
from django.test import Client
from django.utils import translation

from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.accounts.factories import partner_organisation as partner_scope_organisation
from tests.accounts.provider import mock_provider
from trygghet.accounts.models import ProviderGroup
from trygghet.accounts.roles import Role
from trygghet.accounts.services import api_token_create

PERSONAS: dict[str, dict[str, object]] = {
    "chief": {"username": "chef", "roles": [Role.CHIEF]},
    "host": {"username": "vard1", "roles": [Role.HOST]},
    "other_host": {"username": "vard2", "roles": [Role.HOST]},
    "owner": {"username": "agare", "roles": [Role.PROPERTY_OWNER]},
    "other_owner": {"username": "agare2", "roles": [Role.PROPERTY_OWNER]},
    "partner": {"username": "partner", "roles": [Role.PARTNER]},
    "report_client": {"username": "rapport", "roles": [Role.REPORT_CLIENT]},
    "admin": {"username": "admin", "is_staff": True, "is_superuser": True},
    "dpo": {"username": "dso", "roles": [Role.DATA_PROTECTION_OFFICER]},
}


@pytest.fixture(autouse=True)
def _fast_passwords_and_swedish(settings, tmp_path):
    """Tests hash many passwords, assert Swedish texts unless they switch language, and keep
    the photos they upload out of the development server's media folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("sv"):
        yield


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Utbildningsförvaltningen")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="Kultur- och fritidsförvaltningen")


@pytest.fixture
def partner_organisation(db):
    return partner_scope_organisation()


@pytest.fixture
def partner_sees_everywhere(partner_organisation):
    """For tests of something else than the scope (personal data, exports): the partner's
    organisation sees every area and group, so records without either are in its lists too.
    The scope itself: tests/accounts/test_scope.py."""
    partner_organisation.all_areas = True
    partner_organisation.category_groups = []
    partner_organisation.save()
    return partner_organisation


@pytest.fixture
def persona(db, department, other_department, partner_organisation):
    made = {}

    def get(name: str):
        if name not in made:
            options = dict(PERSONAS[name])
            if name == "owner":
                options["department"] = department
            elif name == "other_owner":
                options["department"] = other_department
            elif name == "partner":
                options["organisation"] = partner_organisation
            made[name] = UserFactory(**options)
        return made[name]

    return get


@pytest.fixture
def client_as(persona):
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        user = persona(role)
        if role == "report_client":
            _token, key = api_token_create(user=user, name="test")
            return Client(headers={"authorization": f"Token {key}"})
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def oidc_mock():
    """A real OpenID provider (oidc-provider-mock) on 127.0.0.1 for the whole run: its issuer."""
    with mock_provider() as issuer:
        yield issuer


def use_provider(settings, issuer: str) -> None:
    """Single sign-on configured as IT would, with the provider at `issuer`."""
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = "trygghet"
    settings.OIDC_RP_CLIENT_SECRET = "klienthemlighet"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "trygghet.accounts.oidc.ProviderBackend",
    ]


# The mapping IT sets up in the admin: group at the provider → role and department.
CHIEFS, HOSTS, SCHOOL_BUILDINGS = "trygghet-chefer", "trygghet-vardar", "fastighet-utbildning"


@pytest.fixture
def sso(settings, oidc_mock, department):
    use_provider(settings, oidc_mock)
    ProviderGroup.objects.create(name=CHIEFS, role=Role.CHIEF)
    ProviderGroup.objects.create(name=HOSTS, role=Role.HOST)
    ProviderGroup.objects.create(
        name=SCHOOL_BUILDINGS, role=Role.PROPERTY_OWNER, department=department
    )
    return oidc_mock
