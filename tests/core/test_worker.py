"""The background worker for real: procrastinate's worker on its own connections, a local SMTP
server that hangs and then answers, retries with their backoff and the admin's list of jobs."""

import time
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from properties.models import Deviation
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory
from tests.worker import SmtpServer, forget_jobs, jobs, let_backoff_pass, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def smtp(settings):
    forget_jobs()  # what an earlier test that committed (a browser test) left in the queue
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 3
        yield server
    forget_jobs()


@pytest.fixture
def building(persona):
    make_shift(hosts=[persona("host")], active=True)
    return PropertyFactory(name="Vallbyskolan", contact_email="vaktmastare@example.se")


def report_deviation(client, building):
    """The host's check from the phone with the door found open; the seconds it took."""
    data = {"client_key": str(uuid.uuid4()), "actions": ["locked"]}
    data |= {f"item_{item}": "fail" if item == "locked" else "ok" for item in building.checklist}
    started = time.monotonic()
    response = client.post(reverse("properties:property-check", args=[building.pk]), data)
    assert response.status_code == 302
    return time.monotonic() - started


def test_a_deviation_found_while_smtp_hangs_returns_at_once_and_is_mailed_when_smtp_answers(
    smtp, building, client_as, monkeypatch, settings
):
    smtp.hanging.set()
    seconds = report_deviation(client_as("host"), building)
    assert seconds < settings.EMAIL_TIMEOUT  # the request never waited for the mail server

    run_worker(monkeypatch)  # the mail server hangs: the try times out, the job waits
    (job,) = jobs()
    assert (job["status"], job["attempts"]) == ("todo", 1)
    assert job["scheduled_at"] > timezone.now()
    assert smtp.received == []
    assert Deviation.objects.get().notified_at is None

    smtp.hanging.clear()
    let_backoff_pass()
    run_worker(monkeypatch)
    assert jobs() == []  # succeeded, and deleted
    (message,) = smtp.received
    assert message.rcpt_tos == ["vaktmastare@example.se"]
    assert b"Vallbyskolan" in message.original_content
    assert Deviation.objects.get().notified_at is not None


def test_each_retry_waits_longer_and_the_last_failure_stays_for_the_admin(
    smtp, building, client_as, monkeypatch, settings
):
    settings.EMAIL_TIMEOUT = 0.5
    smtp.hanging.set()
    report_deviation(client_as("host"), building)
    waits = []
    for _attempt in range(12):
        before = timezone.now()
        run_worker(monkeypatch)
        (job,) = jobs()
        if job["status"] == "failed":
            break
        waits.append((job["scheduled_at"] - before).total_seconds())
        let_backoff_pass()
    assert job["status"] == "failed"
    assert job["attempts"] == 10
    assert sum(waits) > timedelta(hours=8).total_seconds()
    # 3 s, 9 s, 27 s, … after the try (which takes the half second of the timeout).
    assert len(waits) == 9
    assert all(3**n <= wait < 3**n + 2 for n, wait in enumerate(waits, start=1)), waits

    admin = client_as("admin")
    failed = admin.get(
        reverse("admin:procrastinate_procrastinatejob_changelist"), {"status": "failed"}
    )
    assert failed.status_code == 200
    assert [row.pk for row in failed.context["cl"].result_list] == [job["id"]]
    page = admin.get(reverse("admin:procrastinate_procrastinatejob_change", args=[job["id"]]))
    assert page.status_code == 200
    assert "deferred_for_retry" in page.content.decode()
