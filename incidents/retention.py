"""What the retention command clears in the incidents app (see trygghet/core/retention_periods.py).

After RETENTION_PERSONAL_DATA_DAYS, free text that may describe people is emptied, photos are
deleted, incident positions are rounded to about a hundred metres (enough for the situational
picture, too coarse to point at a door) and residents' positions are removed. A resident's
contact details go sooner, after RETENTION_CONTACT_DETAILS_DAYS. The history of incidents is
cleared the same way, and clearing writes no new history (the trigger is paused), so the old text
does not survive in it. Night-button calls (which name the host) are deleted after
RETENTION_NIGHT_BUTTON_DAYS. A street-issue task stays (the department's record, counted in the
figures), but after RETENTION_DEPARTMENT_TASK_DAYS from when it was found its steps' notes are
cleared: the department writes there what it found and whom it spoke to; the task
itself holds no other free text (the host's stays on the incident). Photo files that no row
names (their submission was rolled back) go after a day.

An incident or a contact under a legal hold is skipped, with everything that hangs on it (its
street-issue task's notes too), and counted.
"""

from __future__ import annotations

import pgtrigger
from django.db.models import Q

from incidents.models import (
    CitizenContact,
    DepartmentTask,
    DepartmentTaskStep,
    Escalation,
    FollowUp,
    Incident,
    IncidentPhoto,
    IncidentVersion,
    NightButtonCall,
)
from trygghet.core.follow_up import clear_step_notes, step_notes
from trygghet.core.retention_periods import (
    Cutoffs,
    Removed,
    round_positions,
    sweep_orphaned_files,
    with_exact_positions,
)


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[Removed]:
    old = cutoffs.personal_data
    texts = ~Q(description="") | ~Q(place_text="") | ~Q(people_involved="")
    past = Incident.objects.filter(occurred_at__lt=old)
    held = past.filter(legal_hold=True)
    incidents = past.filter(legal_hold=False)
    kept = Q(legal_hold=True)
    versions = IncidentVersion.objects.filter(
        pgh_obj__occurred_at__lt=old, pgh_obj__legal_hold=False
    ).filter(texts)
    photos = IncidentPhoto.objects.filter(incident__in=incidents)
    positions = with_exact_positions(incidents.filter(latitude__isnull=False))
    notes = Escalation.objects.filter(called_at__lt=old).exclude(note="")
    notes = notes.exclude(incident__legal_hold=True)
    follow_ups = FollowUp.objects.filter(incident__in=incidents).exclude(note="")
    past_contacts = CitizenContact.objects.filter(received_at__lt=old)
    contacts = past_contacts.exclude(kept).filter(
        ~Q(reason="") | ~Q(place_text="") | Q(latitude__isnull=False)
    )
    recent = CitizenContact.objects.filter(received_at__lt=cutoffs.contact_details)
    contact_details = recent.exclude(kept).exclude(contact_details="")
    calls = NightButtonCall.objects.filter(started_at__lt=cutoffs.night_button)
    past_tasks = DepartmentTask.objects.filter(found_at__lt=cutoffs.department_tasks)
    task_notes = step_notes(DepartmentTaskStep.objects.filter(task__in=past_tasks))
    held_task_notes = task_notes.filter(task__incident__legal_hold=True)
    task_notes = task_notes.filter(task__incident__legal_hold=False)
    # Files no row names may go before the transaction ends: nothing will come to name them.
    swept = sweep_orphaned_files(
        IncidentPhoto, "image", before=cutoffs.orphaned_files, dry_run=dry_run
    )
    held_incidents = held.count()
    counts = [
        Removed("incident texts", incidents.filter(texts).count(), "personal_data", held_incidents),
        Removed("incident history texts", versions.count(), "personal_data"),
        Removed("incident photos", photos.count(), "personal_data"),
        Removed("incident positions", positions.count(), "personal_data"),
        Removed("follow-up notes", follow_ups.count(), "personal_data"),
        Removed("call-for-help notes", notes.count(), "personal_data"),
        Removed(
            "citizen contact texts and positions",
            contacts.count(),
            "personal_data",
            past_contacts.filter(kept).count(),
        ),
        Removed(
            "citizen contact details",
            contact_details.count(),
            "contact_details",
            recent.filter(kept).count(),
        ),
        Removed("night-button calls", calls.count(), "night_button"),
        Removed(
            "street-issue task step notes",
            task_notes.count(),
            "department_tasks",
            held_task_notes.count(),
        ),
        Removed("photo files of incidents never saved", swept),
    ]
    if dry_run:
        return counts
    with pgtrigger.ignore("incidents.Incident:changed_update"):
        incidents.filter(texts).update(description="", place_text="", people_involved="")
        round_positions(positions)
    versions.update(description="", place_text="", people_involved="")
    for photo in photos:
        photo.image.delete(save=False)
    photos.delete()
    follow_ups.update(note="")
    notes.update(note="")
    contacts.update(reason="", place_text="", latitude=None, longitude=None)
    contact_details.update(contact_details="")
    calls.delete()
    clear_step_notes(task_notes)
    return counts
