import pytest
from django.urls import reverse

from tests.access import LOGIN as LOGIN_PAGE
from tests.access import ROLES, assert_answer
from tests.accounts.factories import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "report_client")])
def test_each_web_role_signs_in_to_the_start_page(client, persona, role):
    user = persona(role)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.url == reverse("start")
    assert client.get(reverse("start")).status_code == 200


def test_report_client_cannot_sign_in_to_the_web(client, persona):
    response = sign_in(client, persona("report_client").username)
    assert response.status_code == 200
    assert "kan inte logga in på webbsidorna" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_in_swedish(client, persona):
    response = sign_in(client, persona("host").username, "fel")
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_sign_out_ends_the_session(client, persona):
    sign_in(client, persona("host").username)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert_answer(client.get(reverse("start")), LOGIN_PAGE)


def test_lockout_after_repeated_failures(client, persona, settings):
    user = persona("host")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "fel").status_code == 200
    response = sign_in(client, user.username, "fel")
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()
    # Even the right password is refused until the cool-off has passed.
    assert sign_in(client, user.username).status_code == 429


def test_lockout_is_per_user_not_for_everyone(client, persona, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, persona("host").username, "fel")
    response = sign_in(client, persona("other_host").username)
    assert (response.status_code, response["Location"]) == (302, reverse("start"))


def test_password_change_applies_the_validators(client, persona):
    client.force_login(persona("host"))
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "för kort" in response.content.decode()


def test_password_change_succeeds(client, persona):
    user = persona("host")
    client.force_login(user)
    new = "en-ny-och-lang-fras-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_signed_in_user_visiting_login_goes_to_start(client, persona):
    client.force_login(persona("chief"))
    assert client.get(LOGIN).status_code == 302


BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.1"}


def sign_in_from(client, address, username, password=PASSWORD):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",
        **BEHIND_PROXY,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_behind_the_proxy_wrong_passwords_elsewhere_do_not_lock_the_host_out(
    client, persona, settings, behind_proxy
):
    """Every request comes from the proxy's address; the lockout counts the client's."""
    host = persona("host")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.5", host.username, "fel")
    assert sign_in_from(client, "203.0.113.5", host.username).status_code == 429
    assert sign_in_from(client, "192.0.2.20", host.username).status_code == 302


def test_one_address_trying_many_usernames_is_locked_for_all(
    client, persona, settings, behind_proxy
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.5", f"gissning{number}", "fel")
    host = persona("host")
    assert sign_in_from(client, "203.0.113.5", host.username).status_code == 429
    assert sign_in_from(client, "192.0.2.20", host.username).status_code == 302


def test_fewer_failures_across_usernames_lock_nobody(client, persona, settings, behind_proxy):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in_from(client, "203.0.113.5", f"gissning{number}", "fel")
    assert sign_in_from(client, "203.0.113.5", persona("host").username).status_code == 302
