from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from trygghet.accounts.sessions import IDLE_SECONDS, LAST_SEEN

START = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _idle_limits(settings):
    settings.SESSION_IDLE_MINUTES_DESK = 30
    settings.SESSION_IDLE_MINUTES_HOST = 180


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_desk_session_ends_after_half_an_hour_without_requests(client, persona, clock):
    client.force_login(persona("chief"))
    clock.shift(timedelta(minutes=29))
    assert client.get("/start/").status_code == 200
    clock.shift(timedelta(minutes=31))
    assert signed_out(client.get("/start/"))
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/login/").content.decode()
    assert "utloggad efter 30 minuter utan aktivitet" in page


def test_a_host_may_be_idle_longer_than_the_desk(client, persona, clock):
    client.force_login(persona("host"))
    clock.shift(timedelta(minutes=179))
    assert client.get("/start/").status_code == 200
    clock.shift(timedelta(minutes=181))
    assert signed_out(client.get("/start/"))


@pytest.mark.parametrize("role", ["partner", "owner", "admin"])
def test_every_role_but_the_host_has_the_desk_limit(client, persona, clock, role):
    client.force_login(persona(role))
    clock.shift(timedelta(minutes=31))
    assert signed_out(client.get("/start/"))


def test_requests_keep_the_session_alive(client, persona, clock):
    client.force_login(persona("chief"))
    for _ in range(12):  # three hours, a request every quarter
        clock.shift(timedelta(minutes=15))
        assert client.get("/start/").status_code == 200


def test_the_api_refuses_an_idle_session(client, persona, clock):
    client.force_login(persona("chief"))
    assert client.get("/api/v1/incidents/").status_code == 200
    clock.shift(timedelta(minutes=31))
    assert client.get("/api/v1/incidents/").status_code == 401


def test_activity_does_not_stretch_the_shift_session(client, persona, clock, settings):
    """Noting activity saves the session; the session still ends 14 hours after sign-in."""
    client.force_login(persona("host"))
    for _ in range(13):
        clock.shift(timedelta(hours=1))
        assert client.get("/start/").status_code == 200
    clock.shift(timedelta(minutes=59))
    assert client.get("/start/").status_code == 200
    clock.shift(timedelta(minutes=2))
    assert signed_out(client.get("/start/"))
    assert settings.SESSION_COOKIE_AGE == 14 * 60 * 60


def test_a_session_from_before_the_idle_timeout_gets_its_clock(client, persona, clock):
    client.force_login(persona("chief"))
    session = client.session
    del session[LAST_SEEN], session[IDLE_SECONDS]
    session.save()
    assert client.get("/start/").status_code == 200
    assert client.session[IDLE_SECONDS] == 30 * 60
    clock.shift(timedelta(minutes=31))
    assert signed_out(client.get("/start/"))
