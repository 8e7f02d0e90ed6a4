"""Single sign-on, end to end over HTTP against identity providers on 127.0.0.1: the Django test
client plays the browser, the provider's own sign-in page is answered as a person would."""

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from tests.access import DONE, ROLES, assert_answer, by_role
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.accounts.provider import FlawedProvider, authorize_at_mock, set_claims
from tests.conftest import CHIEFS, HOSTS, SCHOOL_BUILDINGS, use_provider
from trygghet.accounts.models import ProviderGroup, ProviderIdentity, User, UserSession
from trygghet.accounts.policy import start_page_kind
from trygghet.accounts.roles import Role

KARIN = {
    "given_name": "Karin",
    "family_name": "Lindqvist",
    "email": "karin.lindqvist@kommun.example.se",
    "preferred_username": "karin.lindqvist",
}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start(client: Client, next_url: str = "") -> str:
    """Press "Sign in with the municipality's account"; the provider's authorize URL."""
    response = client.get(reverse("sso-start"), {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def sign_in(client: Client, issuer: str, subject: str, **claims):
    """The whole round: Trygghet → the provider's page → back to Trygghet's callback."""
    set_claims(issuer, subject, {**KARIN, **claims})
    return client.get(path_of(authorize_at_mock(start(client), subject)))


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refused(response, text: str) -> bool:
    return response.status_code == 403 and text in response.content.decode()


# --- Without a provider, as before


def test_without_a_provider_the_sign_in_page_has_the_password_form_only(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "kommunens konto" not in page
    assert 'name="password"' in page


@pytest.mark.parametrize(("role", "expected"), by_role(**dict.fromkeys(ROLES, 404)))
@pytest.mark.parametrize("url_name", ["sso-start", "sso-callback"])
def test_without_a_provider_its_routes_are_not_there(client_as, role, expected, url_name):
    assert_answer(client_as(role).get(reverse(url_name)), expected)


TO_THE_PROVIDER = "302 to the provider's sign-in page"


@pytest.mark.parametrize(("role", "expected"), by_role(**dict.fromkeys(ROLES, TO_THE_PROVIDER)))
def test_with_a_provider_anyone_may_start_a_sign_in_there(client_as, sso, role, expected):
    """Signed in already too: signing in again is how a changed group takes effect."""
    response = client_as(role).get(reverse("sso-start"))
    assert expected == TO_THE_PROVIDER
    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso}/oauth2/authorize?")


@pytest.mark.parametrize(("role", "expected"), by_role(**dict.fromkeys(ROLES, 403)))
def test_with_a_provider_a_callback_without_an_answer_is_refused(client_as, sso, role, expected):
    assert_answer(client_as(role).get(reverse("sso-callback")), expected)


# --- Signing in


def test_the_municipal_account_comes_first_on_the_sign_in_page(client, sso):
    page = client.get(reverse("login"), {"next": "/incidents/"}).content.decode()
    offered = page.index("Logga in med kommunens konto")
    assert offered < page.index('name="password"')
    assert f"{reverse('sso-start')}?next=/incidents/" in page


def test_a_chief_signs_in_through_the_provider(client, sso):
    response = sign_in(client, sso, "sub-karin", groups=[CHIEFS])
    assert_answer(response, DONE, done=reverse("start"))
    user = signed_in_user(client)
    assert (user.username, user.get_full_name(), user.email) == (
        "karin.lindqvist",
        "Karin Lindqvist",
        "karin.lindqvist@kommun.example.se",
    )
    assert start_page_kind(user) == "chief"
    assert not user.has_usable_password()
    identity = ProviderIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso, "sub-karin")
    assert "Karin" in client.get(reverse("start")).content.decode()
    assert UserSession.objects.filter(user=user).exists()


def test_the_page_asked_for_comes_after_the_sign_in(client, sso):
    set_claims(sso, "sub-karin", {**KARIN, "groups": [CHIEFS]})
    callback = authorize_at_mock(start(client, next_url="/incidents/"), "sub-karin")
    assert client.get(path_of(callback))["Location"] == "/incidents/"


def test_a_group_change_at_the_provider_changes_the_role_on_the_next_sign_in(client, sso):
    sign_in(client, sso, "sub-ahmed", groups=[HOSTS])
    host = signed_in_user(client)
    assert start_page_kind(host) == "host"
    client.post(reverse("logout"))
    sign_in(Client(), sso, "sub-ahmed", groups=[CHIEFS])
    chief = User.objects.get(pk=host.pk)
    assert start_page_kind(chief) == "chief"
    assert list(chief.groups.values_list("name", flat=True)) == ["Säkerhetschef"]


def test_the_department_comes_from_the_groups_too(client, sso, department):
    sign_in(client, sso, "sub-per", groups=[SCHOOL_BUILDINGS, "some-other-group"])
    owner = signed_in_user(client)
    assert (start_page_kind(owner), owner.department) == ("owner", department)


def test_groups_naming_two_departments_are_refused(client, sso, other_department):
    ProviderGroup.objects.create(name="fastighet-kultur", department=other_department)
    response = sign_in(client, sso, "sub-per", groups=[SCHOOL_BUILDINGS, "fastighet-kultur"])
    assert refused(response, "mer än en förvaltning")
    assert signed_in_user(client) is None


def test_a_partner_group_puts_the_partner_in_their_organisation(client, sso, partner_organisation):
    ProviderGroup.objects.create(name="est-polisen", role=Role.PARTNER)
    ProviderGroup.objects.create(name="est-polisen-syd", organisation=partner_organisation)
    sign_in(client, sso, "sub-eva", groups=["est-polisen", "est-polisen-syd"])
    partner = signed_in_user(client)
    assert (start_page_kind(partner), partner.organisation) == ("partner", partner_organisation)

    # Taken out of the organisation's group at the provider: in none, and so sees nothing.
    client.post(reverse("logout"))
    sign_in(client, sso, "sub-eva", groups=["est-polisen"])
    assert User.objects.get(pk=partner.pk).organisation is None


def test_groups_naming_two_organisations_or_a_department_too_are_refused(
    client, sso, department, partner_organisation
):
    other = OrganisationFactory(name="Räddningstjänsten")
    ProviderGroup.objects.create(name="est-polisen", role=Role.PARTNER, organisation=other)
    ProviderGroup.objects.create(name="est-syd", organisation=partner_organisation)
    response = sign_in(client, sso, "sub-eva", groups=["est-polisen", "est-syd"])
    assert refused(response, "mer än en samverkansorganisation")
    response = sign_in(client, sso, "sub-eva", groups=["est-polisen", SCHOOL_BUILDINGS])
    assert refused(response, "både en förvaltning och en samverkansorganisation")
    assert signed_in_user(client) is None
    assert not User.objects.filter(organisation__isnull=False).exists()


def test_users_are_matched_on_the_subject_never_on_the_e_mail(client, sso):
    local = UserFactory(username="karin.lindqvist", email=KARIN["email"], roles=[Role.PARTNER])
    sign_in(client, sso, "sub-karin", groups=[CHIEFS])
    user = signed_in_user(client)
    assert user != local
    assert user.username.startswith("karin.lindqvist-")
    local.refresh_from_db()
    assert start_page_kind(local) == "partner"
    # A new e-mail address and name at the provider: the same person, the same account.
    sign_in(Client(), sso, "sub-karin", groups=[CHIEFS], email="k.berg@kommun.example.se")
    assert User.objects.get(pk=user.pk).email == "k.berg@kommun.example.se"
    assert ProviderIdentity.objects.count() == 1


def test_a_person_in_no_mapped_group_gets_a_clear_page_and_no_account(client, sso):
    response = sign_in(client, sso, "sub-okand", groups=["alla-anstallda"])
    assert refused(response, "inte med i någon grupp som ger en roll i Trygghet")
    assert signed_in_user(client) is None
    assert not User.objects.filter(email=KARIN["email"]).exists()


def test_a_person_removed_from_the_groups_loses_the_role_and_every_session(client, sso):
    sign_in(client, sso, "sub-ahmed", groups=[HOSTS])
    host = signed_in_user(client)
    response = sign_in(Client(), sso, "sub-ahmed", groups=[])
    assert refused(response, "inte med i någon grupp")
    host.refresh_from_db()
    assert start_page_kind(host) is None
    assert client.get(reverse("start")).status_code == 302
    assert not UserSession.objects.filter(user=host).exists()


def test_a_mapped_role_without_the_web_pages_is_no_role_for_signing_in(client, sso):
    ProviderGroup.objects.create(name="program", role=Role.REPORT_CLIENT)
    response = sign_in(client, sso, "sub-program", groups=["program"])
    assert refused(response, "inte med i någon grupp")


def test_a_deactivated_account_is_refused(client, sso):
    sign_in(client, sso, "sub-ahmed", groups=[HOSTS])
    User.objects.filter(pk=signed_in_user(client).pk).update(is_active=False)
    response = sign_in(Client(), sso, "sub-ahmed", groups=[HOSTS])
    assert refused(response, "har stängts av")


def test_the_person_denying_at_the_provider_is_told_so(client, sso):
    answer = requests.post(start(client), data={"action": "deny"}, allow_redirects=False, timeout=5)
    response = client.get(path_of(answer.headers["Location"]))
    assert refused(response, "loggade inte in dig")


# --- What is refused: the answer does not belong here, or the token is not right


def test_an_answer_with_another_state_is_refused(client, sso):
    set_claims(sso, "sub-karin", {**KARIN, "groups": [CHIEFS]})
    callback = authorize_at_mock(start(client), "sub-karin")
    parts = urlsplit(callback)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    forged = client.get(parts.path, {**query, "state": "forged"})
    assert refused(forged, "hör inte till en inloggning som började i den här webbläsaren")
    assert signed_in_user(client) is None


def test_an_answer_opened_in_another_browser_is_refused(client, sso):
    set_claims(sso, "sub-karin", {**KARIN, "groups": [CHIEFS]})
    callback = authorize_at_mock(start(client), "sub-karin")
    other = Client()
    assert refused(other.get(path_of(callback)), "den här webbläsaren")
    assert signed_in_user(other) is None


@pytest.fixture
def flawed(settings, db):
    provider = FlawedProvider()
    with provider.running():
        use_provider(settings, provider.url)
        ProviderGroup.objects.create(name=CHIEFS, role=Role.CHIEF)
        provider.claims = {"sub": "sub-karin", "groups": [CHIEFS], **KARIN}
        yield provider


def through_flawed(client: Client):
    answer = requests.get(start(client), allow_redirects=False, timeout=5)
    return client.get(path_of(answer.headers["Location"]))


def test_the_flawless_answer_of_the_small_provider_signs_in(client, flawed):
    response = through_flawed(client)
    assert_answer(response, DONE, done=reverse("start"))
    assert start_page_kind(signed_in_user(client)) == "chief"


@pytest.mark.parametrize(
    ("flaw", "message"),
    [
        ("audience", "en annan tjänst, inte till Trygghet"),
        ("expired", "hade gått ut"),
        ("signature", "kunde inte kontrolleras"),
        ("issuer", "en annan tjänst än kommunens"),
    ],
)
def test_a_flawed_id_token_is_refused(client, flawed, flaw, message):
    flawed.flaw = flaw
    response = through_flawed(client)
    assert refused(response, message)
    assert signed_in_user(client) is None
    assert not ProviderIdentity.objects.exists()


def test_an_unreachable_provider_is_a_clear_page_and_passwords_still_work(client, settings, db):
    use_provider(settings, "http://127.0.0.1:9")
    assert refused(client.get(reverse("sso-start")), "kunde inte nås")
    partner = UserFactory(roles=[Role.PARTNER])
    response = client.post(reverse("login"), {"username": partner.username, "password": PASSWORD})
    assert response["Location"] == reverse("start")


# --- Passwords and signing out


def test_a_setting_forbids_passwords_for_staff_roles(client, sso, settings, persona):
    settings.OIDC_REQUIRED_FOR_ROLES = ["chief", "host"]
    for role in ("chief", "host"):
        response = client.post(
            reverse("login"), {"username": persona(role).username, "password": PASSWORD}
        )
        assert "loggar in med kommunens konto" in response.content.decode()
    response = client.post(
        reverse("login"), {"username": persona("partner").username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("start")


def test_signing_out_ends_the_session_at_the_provider_too(client, sso):
    sign_in(client, sso, "sub-karin", groups=[CHIEFS])
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (f"{sso}/oauth2/end_session")
    assert parse_qs(location.query) == {
        "id_token_hint": [id_token],
        "client_id": ["trygghet"],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
    }
    assert signed_in_user(client) is None


def test_a_password_session_signs_out_here_only(client, sso, persona):
    client.post(reverse("login"), {"username": persona("partner").username, "password": PASSWORD})
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_the_sign_out_form_may_send_the_browser_on_to_the_provider(client, settings, db):
    """Browsers hold a form's redirect to the page's form-action policy."""
    assert "form-action 'self';" in client.get(reverse("login"))["Content-Security-Policy"] + ";"
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/kommunens-tenant/v2.0"
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "form-action 'self' https://login.microsoftonline.com" in policy


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"OIDC_ISSUER": "https://idp.example.se"}, "OIDC_ISSUER needs OIDC_CLIENT_ID"),
        ({"OIDC_REQUIRED_FOR_ROLES": "chief,boss"}, "OIDC_REQUIRED_FOR_ROLES: no role boss"),
    ],
)
def test_a_wrong_sign_in_setting_stops_the_start(environment, message):
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "trygghet.settings",
            "DATABASE_URL": "postgres:///never-connected",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert message in started.stderr
