"""/healthz/worker: the worker's last heartbeat and the oldest job waiting, 503 when either is
older than WORKER_STALE_SECONDS."""

import pytest
from django.db import connection

from properties.tasks import deviation_email

URL = "/healthz/worker"


@pytest.fixture
def beating(db):
    """A worker as procrastinate registers one; `beating(seconds)` puts its beat that long ago."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT procrastinate_register_worker_v1()")
        (worker,) = cursor.fetchone()

    def beat(seconds_ago: float = 0) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - make_interval("
                "secs => %s) WHERE id = %s",
                [seconds_ago, worker],
            )

    return beat


def waiting_since(seconds_ago: float) -> None:
    deviation_email.defer(deviation_id=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - make_interval(secs => %s)",
            [seconds_ago],
        )


def test_a_worker_that_beats_with_nothing_waiting_is_ok(client, beating):
    beating(5)
    response = client.get(URL)
    assert response.status_code == 200
    state = response.json()
    assert state["status"] == "ok"
    assert 4 <= state["heartbeat_age_seconds"] < 60
    assert (state["jobs_waiting"], state["oldest_job_age_seconds"]) == (0, None)


def test_no_worker_at_all_is_503(client, db):
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["last_heartbeat"] is None
    assert response["Retry-After"]


def test_a_silent_worker_is_503(client, beating, settings):
    beating(settings.WORKER_STALE_SECONDS + 1)
    assert client.get(URL).status_code == 503


def test_a_job_waiting_too_long_is_503_though_the_worker_beats(client, beating, settings):
    beating(1)
    waiting_since(60)
    assert client.get(URL).json()["jobs_waiting"] == 1
    assert client.get(URL).status_code == 200
    waiting_since(settings.WORKER_STALE_SECONDS + 60)
    state = client.get(URL).json()
    assert state["status"] == "stale"
    assert state["oldest_job_age_seconds"] > settings.WORKER_STALE_SECONDS


def test_a_retry_put_off_is_not_waiting(client, beating, settings):
    beating(1)
    waiting_since(settings.WORKER_STALE_SECONDS + 60)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour'")
    assert client.get(URL).json()["jobs_waiting"] == 0
    assert client.get(URL).status_code == 200
