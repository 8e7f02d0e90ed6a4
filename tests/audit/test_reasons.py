"""Opening an incident or a citizen contact outside one's own work asks why first: a host for
another shift's record, everyone but the chief for one older than AUDIT_REASON_AFTER_DAYS. The
reason goes into the audit row and is remembered for that record for a while."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.models import IncidentPhoto
from tests.incidents.factories import CitizenContactFactory, IncidentFactory
from trygghet.audit.models import Read
from trygghet.audit.reasons import reason_required

NOW = datetime(2026, 11, 30, 22, 15, tzinfo=ZoneInfo("Europe/Stockholm"))
REASON = {"audit-reason": "police_request", "audit-note": "K-2026-123"}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _incident(persona, days_old):
    return IncidentFactory(reported_by=persona("host"), occurred_at=NOW - timedelta(days=days_old))


def test_a_host_opening_an_old_incident_is_asked_why_first(clock, client_as, persona, settings):
    settings.AUDIT_REASON_AFTER_DAYS = 30
    incident = _incident(persona, 31)
    url = reverse("incidents:incident-detail", args=[incident.pk])
    client = client_as("host")

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Varför öppnar du" in asked.content.decode()
    assert b"PERSONUPPGIFT" not in asked.content
    assert not Read.objects.exists()

    assert client.post(url, REASON).headers["Location"] == url
    shown = client.get(url)

    assert b"PERSONUPPGIFT" in shown.content
    read = Read.objects.get()
    assert (read.reason, read.reason_note, read.subject_id) == (
        "police_request",
        "K-2026-123",
        incident.pk,
    )


def test_the_reason_is_remembered_for_that_record_for_a_while(clock, client_as, persona, settings):
    settings.AUDIT_REASON_REMEMBER_MINUTES = 30
    incident, other = _incident(persona, 40), _incident(persona, 40)
    url = reverse("incidents:incident-detail", args=[incident.pk])
    client = client_as("host")
    client.post(url, REASON)

    clock.shift(timedelta(minutes=29))
    assert b"PERSONUPPGIFT" in client.get(url).content
    other_page = client.get(reverse("incidents:incident-detail", args=[other.pk]))
    assert b"PERSONUPPGIFT" not in other_page.content
    clock.shift(timedelta(minutes=2))
    assert b"PERSONUPPGIFT" not in client.get(url).content

    assert [read.reason for read in Read.objects.all()] == ["police_request"]


def test_a_recent_incident_of_ones_own_opens_at_once(clock, client_as, persona, settings):
    settings.AUDIT_REASON_AFTER_DAYS = 30
    incident = _incident(persona, 29)

    response = client_as("host").get(reverse("incidents:incident-detail", args=[incident.pk]))

    assert b"PERSONUPPGIFT" in response.content
    assert Read.objects.get().reason == ""


def test_the_chief_is_never_asked(clock, client_as, persona):
    incident = _incident(persona, 400)

    response = client_as("chief").get(reverse("incidents:incident-detail", args=[incident.pk]))

    assert b"PERSONUPPGIFT" in response.content


@pytest.mark.parametrize(
    ("role", "days_old", "own", "asked"),
    [
        ("host", 0, True, False),
        ("host", 0, False, True),
        ("host", 31, True, True),
        ("chief", 0, False, False),
        ("chief", 3650, False, False),
        ("admin", 3650, False, False),
    ],
)
def test_the_rule(clock, persona, settings, role, days_old, own, asked):
    settings.AUDIT_REASON_AFTER_DAYS = 30
    moment = NOW - timedelta(days=days_old)
    assert reason_required(persona(role), moment=moment, own=own) is asked


def test_other_needs_words(clock, client_as, persona):
    incident = _incident(persona, 400)
    url = reverse("incidents:incident-detail", args=[incident.pk])

    response = client_as("host").post(url, {"audit-reason": "other", "audit-note": " "})

    assert response.status_code == 400
    assert b"PERSONUPPGIFT" not in response.content


def test_a_photo_is_not_shown_before_the_reason(clock, client_as, persona):
    incident = _incident(persona, 400)
    photo = IncidentPhoto.objects.create(
        incident=incident, image=ContentFile(b"x", name="p.jpg"), uploaded_by=persona("host")
    )
    client = client_as("host")

    assert client.get(photo.get_absolute_url()).status_code == 403
    client.post(reverse("incidents:incident-detail", args=[incident.pk]), REASON)

    shown = client.get(photo.get_absolute_url())
    assert b"".join(shown.streaming_content) == b"x"
    assert {read.reason for read in Read.objects.all()} == {"police_request"}


def test_a_contacts_reason_field_is_not_the_readers_reason(clock, client_as, persona, shift):
    contact = CitizenContactFactory(
        recorded_by=persona("host"), shift=shift, received_at=NOW - timedelta(days=60)
    )
    url = reverse("incidents:citizen-contact-edit", args=[contact.pk])
    client = client_as("host")

    assert b"PERSONUPPGIFT" not in client.get(url).content
    client.post(url, REASON)
    page = client.get(url)

    assert b"PERSONUPPGIFT" in page.content
    contact.refresh_from_db()
    assert contact.reason == "PERSONUPPGIFT skäl"
    assert Read.objects.get().subject_type == "incidents.citizencontact"
