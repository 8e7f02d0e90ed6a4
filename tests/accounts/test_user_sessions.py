from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.accounts.factories import PASSWORD, UserFactory
from trygghet.accounts.models import UserSession

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
DESK = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
START = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


def signed_in(user, user_agent=DESK, **extra) -> Client:
    client = Client(headers={"user-agent": user_agent}, **extra)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get(reverse("start")).status_code == 200


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_the_sessions_page_shows_device_address_and_activity(persona, settings, clock):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    chief = persona("chief")
    phone = signed_in(
        chief, PHONE, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7"
    )
    desk = signed_in(chief)
    page = desk.get(reverse("session-list")).content.decode()
    assert "Chrome Mobile på Android" in page
    assert "Edge på Windows" in page
    assert "203.0.113.7" in page and "198.51.100.9" not in page
    assert "Den här sessionen" in page
    assert "30 nov 20:00" in page
    clock.shift(timedelta(minutes=20))
    assert is_signed_in(phone)
    noted = UserSession.objects.get(address="203.0.113.7")
    assert noted.last_activity == START + timedelta(minutes=20)


def test_activity_is_noted_at_most_once_a_minute(persona, clock, django_assert_num_queries):
    client = signed_in(persona("chief"))
    clock.shift(timedelta(seconds=30))
    with django_assert_num_queries(5):
        client.get(reverse("session-list"))
    clock.shift(timedelta(seconds=31))
    with django_assert_num_queries(9):  # the session's LAST_SEEN and the note of it
        client.get(reverse("session-list"))


def test_ending_another_session_signs_it_out(persona):
    chief = persona("chief")
    phone, desk = signed_in(chief, PHONE), signed_in(chief)
    other = UserSession.objects.get(user_agent=PHONE)
    response = desk.post(reverse("session-end", args=[other.pk]))
    assert_answer(response, DONE, done=reverse("session-list"))
    assert not is_signed_in(phone)
    assert is_signed_in(desk)
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == [DESK]


def test_this_session_and_others_sessions_cannot_be_ended_there(persona):
    desk = signed_in(persona("chief"))
    host = signed_in(persona("host"))
    for noted in UserSession.objects.all():
        assert desk.post(reverse("session-end", args=[noted.pk])).status_code == 404
    assert is_signed_in(desk) and is_signed_in(host)


def test_ending_all_other_sessions(persona):
    chief = persona("chief")
    others = [signed_in(chief, PHONE) for _ in range(2)]
    desk = signed_in(chief)
    host = signed_in(persona("host"))
    desk.post(reverse("session-end-others"))
    assert [is_signed_in(client) for client in [*others, desk, host]] == [
        False,
        False,
        True,
        True,
    ]


def test_signing_out_forgets_the_session(persona):
    client = signed_in(persona("chief"))
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_a_password_change_ends_every_other_session(persona):
    host = persona("host")
    phone, desk = signed_in(host, PHONE), signed_in(host)
    new = "en-ny-och-lang-fras-2026"
    response = desk.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(desk)
    assert UserSession.objects.filter(user=host).count() == 1


def test_the_admin_setting_a_password_ends_every_session(client, persona):
    host = persona("host")
    phone = signed_in(host, PHONE)
    client.force_login(persona("admin"))
    new = "en-ny-och-lang-fras-2026"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[host.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert not UserSession.objects.filter(user=host).exists()


def test_the_admin_deactivating_a_user_ends_every_session(client, persona):
    host = persona("host")
    phone = signed_in(host, PHONE)
    client.force_login(persona("admin"))
    url = reverse("admin:accounts_user_change", args=[host.pk])
    response = client.post(
        url,
        {
            "username": host.username,
            "first_name": host.first_name,
            "last_name": host.last_name,
            "email": host.email,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "12:00:00",
            "provider_identity-TOTAL_FORMS": "0",
            "provider_identity-INITIAL_FORMS": "0",
            "provider_identity-MIN_NUM_FORMS": "0",
            "provider_identity-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    host.refresh_from_db()
    assert not host.is_active
    assert not UserSession.objects.filter(user=host).exists()
    assert not is_signed_in(phone)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=200,
        owner=200,
        partner=200,
        report_client=LOGIN,
        admin=200,
        dpo=200,
    ),
)
def test_session_list_access(client_as, role, expected):
    assert_answer(client_as(role).get(reverse("session-list")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=404,
        host=404,
        owner=404,
        partner=404,
        report_client=LOGIN,
        admin=404,
        dpo=404,
    ),
)
def test_session_end_access(client_as, persona, role, expected):
    """Another person's session is no one's to end but theirs."""
    signed_in(persona("other_host"))
    theirs = UserSession.objects.get(user=persona("other_host"))
    assert_answer(client_as(role).post(reverse("session-end", args=[theirs.pk])), expected)
    assert UserSession.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=DONE,
        owner=DONE,
        partner=DONE,
        report_client=LOGIN,
        admin=DONE,
        dpo=DONE,
    ),
)
def test_session_end_others_access(client_as, role, expected):
    response = client_as(role).post(reverse("session-end-others"))
    assert_answer(response, expected, done=reverse("session-list"))


def test_a_user_with_no_sessions_noted_sees_an_empty_list(client, db):
    client.force_login(UserFactory())
    UserSession.objects.all().delete()
    assert client.get(reverse("session-list")).context["rows"] == []
