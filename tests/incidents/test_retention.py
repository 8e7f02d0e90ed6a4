import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from incidents.models import (
    CitizenContact,
    DepartmentTask,
    FollowUp,
    Incident,
    IncidentPhoto,
    IncidentVersion,
    NightButtonCall,
)
from incidents.services import department_task_transition, legal_hold_set
from tests.incidents.factories import (
    CitizenContactFactory,
    EscalationFactory,
    IncidentFactory,
    NightButtonCallFactory,
    department_task,
)
from tests.patrols.factories import make_shift
from trygghet.core.follow_up import CLEARED_NOTE
from trygghet.core.models import RetentionLog

# The retention runs of the street-issue tests: a fixed moment, away from a clock change.
RUN_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
def old_and_new(persona, shift):
    host = persona("host")
    long_ago = timezone.now() - timedelta(days=400)
    old = IncidentFactory(
        reported_by=host, shift=shift, occurred_at=long_ago, latitude=Decimal("59.612345")
    )
    new = IncidentFactory(reported_by=host, shift=shift)
    # An amendment leaves the original text in the history.
    Incident.objects.filter(pk=old.pk).update(description="ändrad PERSONUPPGIFT")
    IncidentPhoto.objects.create(
        incident=old, image=ContentFile(b"x", name="old.jpg"), uploaded_by=host
    )
    EscalationFactory(incident=old, called_at=long_ago)
    CitizenContactFactory(
        received_at=long_ago, latitude=Decimal("59.6"), longitude=Decimal("16.5"), place_text="hem"
    )
    CitizenContactFactory(received_at=timezone.now() - timedelta(days=40))
    fresh = CitizenContactFactory()
    return old, new, fresh


def run(*args):
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_old_personal_data_is_cleared_and_new_kept(old_and_new):
    old, new, fresh = old_and_new
    run()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.description, old.place_text, old.people_involved) == ("", "", "")
    assert old.latitude == Decimal("59.612000")
    assert old.category_id and old.area_id == new.area_id  # what the lägesbild needs stays
    assert new.description == "PERSONUPPGIFT beskrivning"
    assert not IncidentPhoto.objects.exists()
    assert old.escalations.get().note == ""


def test_history_keeps_no_cleared_text_and_gets_no_new_rows(old_and_new):
    old, _new, _fresh = old_and_new
    versions = IncidentVersion.objects.filter(pgh_obj=old).count()
    run()
    assert IncidentVersion.objects.filter(pgh_obj=old).count() == versions
    assert not IncidentVersion.objects.filter(description__contains="PERSONUPPGIFT").exists()


def test_residents_lose_contact_details_first_then_text_and_position(old_and_new):
    _old, _new, fresh = old_and_new
    run()
    oldest, month_old = CitizenContact.objects.exclude(pk=fresh.pk).order_by("received_at")
    assert (oldest.reason, oldest.place_text, oldest.latitude, oldest.contact_details) == (
        "",
        "",
        None,
        "",
    )
    assert month_old.contact_details == ""
    assert month_old.reason == "PERSONUPPGIFT skäl"
    fresh.refresh_from_db()
    assert fresh.contact_details == "PERSONUPPGIFT 070-000 00 00"


def test_dry_run_counts_and_changes_nothing(old_and_new):
    old, _new, _fresh = old_and_new
    output = run("--dry-run")
    assert "would clear 1 incident texts" in output
    old.refresh_from_db()
    assert old.description == "ändrad PERSONUPPGIFT"
    assert IncidentPhoto.objects.exists()


def test_running_twice_clears_nothing_more(old_and_new):
    run()
    assert "cleared 0 incident texts" in run()


def test_periods_below_the_floor_are_refused(settings, db):
    settings.RETENTION_PERSONAL_DATA_DAYS = 7
    with pytest.raises(CommandError, match="floor"):
        run()


def test_photo_files_no_row_names_go_after_a_day(persona, shift, settings):
    """A rolled-back submission leaves its photo on disk; the retention run removes it once it
    is a day old, and never a file a row names or one a submission may still be saving."""
    photo = IncidentPhoto.objects.create(
        incident=IncidentFactory(reported_by=persona("host"), shift=shift),
        image=ContentFile(b"x", name="kept.jpg"),
        uploaded_by=persona("host"),
    )
    storage = photo.image.storage
    left = storage.save("incidents/2026/10/left.jpg", ContentFile(b"x"))
    saving = storage.save("incidents/2026/11/saving.jpg", ContentFile(b"x"))
    # The kernel stamps new files with the machine's real clock, which a test run under faketime
    # does not move; every file's age is set here from the clock the retention run reads.
    now = timezone.now().timestamp()
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (left, photo.image.name):
        os.utime(storage.path(name), (two_days_ago, two_days_ago))
    os.utime(storage.path(saving), (now, now))
    assert "would clear 1 photo files of incidents never saved" in run("--dry-run")
    assert storage.exists(left)
    run()
    assert not storage.exists(left)
    assert storage.exists(saving) and storage.exists(photo.image.name)


def test_a_legal_hold_keeps_the_record_and_is_counted(old_and_new, persona):
    old, _new, _fresh = old_and_new
    held_contact = CitizenContactFactory(received_at=timezone.now() - timedelta(days=400))
    for record in (old, held_contact):
        legal_hold_set(record=record, by=persona("chief"), held=True, note="Polisens K-123")

    output = run()

    old.refresh_from_db()
    held_contact.refresh_from_db()
    assert old.description == "ändrad PERSONUPPGIFT"
    assert old.latitude == Decimal("59.612345")
    assert IncidentPhoto.objects.filter(incident=old).exists()
    assert old.escalations.get().note == "PERSONUPPGIFT anteckning"
    assert (held_contact.reason, held_contact.contact_details) == (
        "PERSONUPPGIFT skäl",
        "PERSONUPPGIFT 070-000 00 00",
    )
    assert "cleared 0 incident texts (1 kept under a legal hold)" in output
    assert "cleared 1 citizen contact texts and positions (1 kept under a legal hold)" in output
    entry = RetentionLog.objects.get(record_type="incident texts")
    assert (entry.removed, entry.held, entry.period_days, entry.dry_run) == (0, 1, 365, False)


def test_a_hold_needs_its_reason_and_lifting_it_lets_retention_clear(old_and_new, persona):
    old, _new, _fresh = old_and_new
    with pytest.raises(ValidationError):
        legal_hold_set(record=old, by=persona("chief"), held=True, note=" ")
    legal_hold_set(record=old, by=persona("chief"), held=True, note="K-123")
    legal_hold_set(record=old, by=persona("chief"), held=False)

    run()

    old.refresh_from_db()
    assert (old.legal_hold, old.legal_hold_note, old.description) == (False, "", "")


def test_night_button_calls_go_after_their_own_period(persona, shift, settings):
    settings.RETENTION_NIGHT_BUTTON_DAYS = 200
    calls = [
        NightButtonCallFactory(
            phone_line=shift.phone_line,
            host=persona("host"),
            started_at=timezone.now() - timedelta(days=days),
            ended_at=timezone.now() - timedelta(days=days),
            outcome="arrived",
        )
        for days in (201, 199)
    ]

    assert "cleared 1 night-button calls" in run()

    assert list(NightButtonCall.objects.all()) == [calls[1]]


def test_follow_up_notes_are_cleared_with_the_incident_texts(old_and_new, persona):
    old, new, _fresh = old_and_new
    for incident in (old, new):
        FollowUp.objects.create(
            incident=incident, state="in_progress", note="Pratade med X", by=persona("chief")
        )

    run()

    assert FollowUp.objects.get(incident=old).note == ""
    assert FollowUp.objects.get(incident=new).note == "Pratade med X"


@pytest.fixture
def street_tasks(persona, department, settings):
    """Two street-issue tasks followed up to the end, found 101 and 99 days before the run, under a
    period of 100 days."""
    settings.RETENTION_DEPARTMENT_TASK_DAYS = 100
    host, owner = persona("host"), persona("owner")
    tasks = []
    for days in (101, 99):
        with time_machine.travel(RUN_AT - timedelta(days=days), tick=False):
            make_shift(hosts=[host], active=True)
            task = department_task(department, by=host)
            department_task_transition(task=task, to="acknowledged", by=owner, note="Ringde Anna")
            department_task_transition(task=task, to="resolved", by=owner, note="Anna på nr 4")
        tasks.append(task)
    return tasks


def notes_of(task):
    return list(task.steps.order_by("at", "id").values_list("note", flat=True))


def test_street_task_notes_go_after_their_own_period_and_the_task_stays(street_tasks):
    old, new = street_tasks

    with time_machine.travel(RUN_AT, tick=False):
        assert "would clear 2 street-issue task step notes" in run("--dry-run")
        assert notes_of(old) == ["", "Ringde Anna", "Anna på nr 4"]
        assert "cleared 2 street-issue task step notes" in run()
        assert "cleared 0 street-issue task step notes" in run()

    # A resolved step keeps a note by rule: the dash says one was written.
    assert notes_of(old) == ["", "", CLEARED_NOTE]
    assert notes_of(new) == ["", "Ringde Anna", "Anna på nr 4"]
    assert DepartmentTask.objects.get(pk=old.pk).state == "resolved"
    entry = RetentionLog.objects.filter(record_type="street-issue task step notes").first()
    assert (entry.removed, entry.period_days, entry.dry_run) == (2, 100, True)


def test_a_legal_hold_on_the_incident_keeps_its_tasks_notes(street_tasks, persona):
    old, _new = street_tasks
    legal_hold_set(record=old.incident, by=persona("chief"), held=True, note="Polisens K-7")

    with time_machine.travel(RUN_AT, tick=False):
        output = run()

    assert notes_of(old) == ["", "Ringde Anna", "Anna på nr 4"]
    assert "cleared 0 street-issue task step notes (2 kept under a legal hold)" in output
