from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from trygghet.core.ratelimit import allow, client_ip


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


def test_allows_up_to_the_limit_then_refuses():
    with time_machine.travel(datetime(2026, 11, 27, 21, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        assert [allow("a", limit=3, window_seconds=600) for _ in range(5)] == [
            True,
            True,
            True,
            False,
            False,
        ]
        assert allow("b", limit=3, window_seconds=600)


def test_a_new_window_starts_afresh():
    start = datetime(2026, 11, 27, 21, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            allow("a", limit=3, window_seconds=600)
        assert not allow("a", limit=3, window_seconds=600)
        clock.shift(601)
        assert allow("a", limit=3, window_seconds=600)


def test_client_ip_ignores_forwarded_for_unless_behind_our_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert client_ip(request) == "10.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "5.6.7.8"
