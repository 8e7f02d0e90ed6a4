"""The start page's switch: subscribing this phone, unsubscribing it, and who may."""

import pytest
from django.test import Client

from tests.access import LOGIN, assert_answer, by_role
from tests.push.conftest import subscribe
from tests.push.service import Phone
from trygghet.push.models import PushSubscription

pytestmark = pytest.mark.django_db

PHONE = Phone(endpoint="https://fcm.googleapis.com/fcm/send/abc123")


@pytest.mark.usefixtures("vapid")
@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=204,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=204,
    ),
)
def test_subscribe_by_role(client_as, persona, role, expected):
    assert_answer(subscribe(client_as(role), PHONE), expected)

    saved = PushSubscription.objects.filter(endpoint=PHONE.endpoint)
    if expected == 204:
        subscription = saved.get()
        assert subscription.user == persona(role)
        assert (subscription.p256dh, subscription.auth) == (PHONE.p256dh, PHONE.auth)
        assert subscription.user_session.user == persona(role)
    else:
        assert not saved.exists()


@pytest.mark.usefixtures("vapid")
@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=204,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=404,
    ),
)
def test_unsubscribe_by_role(client_as, role, expected):
    """The host's own phone goes; the admin, who may subscribe too, cannot remove another's."""
    subscribe(client_as("host"), PHONE)

    response = client_as(role).post("/push/unsubscribe/", {"endpoint": PHONE.endpoint})

    assert_answer(response, expected)
    assert PushSubscription.objects.exists() is (expected != 204)


@pytest.mark.usefixtures("vapid")
def test_another_host_s_subscription_is_a_404(client_as, persona):
    subscribe(client_as("host"), PHONE)
    other = Client()
    other.force_login(persona("other_host"))

    response = other.post("/push/unsubscribe/", {"endpoint": PHONE.endpoint})

    assert response.status_code == 404
    assert PushSubscription.objects.count() == 1


@pytest.mark.usefixtures("vapid")
def test_a_phone_passed_on_is_the_new_host_s(client_as, persona):
    subscribe(client_as("host"), PHONE)
    other = Client()
    other.force_login(persona("other_host"))

    assert subscribe(other, PHONE).status_code == 204

    assert PushSubscription.objects.get().user == persona("other_host")


@pytest.mark.usefixtures("vapid")
@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "not a url"},
        {"p256dh": "too-short"},
        {"auth": "%%%"},
        {"auth": ""},
        {"endpoint": "https://push.example.se/" + "x" * 1000},
    ],
)
def test_what_is_not_a_browser_s_subscription_is_refused(client_as, change):
    response = client_as("host").post("/push/subscribe/", {**PHONE.subscription(), **change})

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


@pytest.mark.usefixtures("vapid")
def test_only_https_push_services_in_production(client_as, settings):
    settings.PUSH_HTTPS_ONLY = True
    phone = Phone(endpoint="http://10.0.0.5/internal")

    response = subscribe(client_as("host"), phone)

    assert response.status_code == 400
    assert "Det här är ingen pushprenumeration från en webbläsare." in response.content.decode()


def test_without_keys_push_is_off(client_as):
    response = subscribe(client_as("host"), PHONE)

    assert response.status_code == 400
    assert response.content.decode() == "Notiser är inte påslagna här."
    assert not PushSubscription.objects.exists()


@pytest.mark.usefixtures("vapid")
def test_a_session_noted_before_sign_in_was_noted_cannot_subscribe(client_as, persona):
    client = client_as("host")
    persona("host").user_sessions.all().delete()

    response = subscribe(client, PHONE)

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()
