import pytest

from tests.incidents.conftest import area  # noqa: F401  (Centrum, around the default position)
from tests.push.service import Phone, PushService
from trygghet.push.vapid import new_key_pair


@pytest.fixture
def vapid(settings):
    """Push turned on, with a key pair of the test's own."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_key_pair()
    settings.VAPID_SUBJECT = "mailto:trygghet@example.se"
    return settings.VAPID_PUBLIC_KEY


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


def subscribe(client, phone: Phone):
    """The start page's button, as its script posts it."""
    return client.post("/push/subscribe/", phone.subscription())
