"""What the retention command clears in the incidents app (see trygghet/core/retention_periods.py).

After RETENTION_PERSONAL_DATA_DAYS, free text that may describe people is emptied, photos are
deleted, incident positions are rounded to about a hundred metres (enough for the situational
picture, too coarse to point at a door) and residents' positions are removed. A resident's
contact details go sooner, after RETENTION_CONTACT_DETAILS_DAYS. The history of incidents is
cleared the same way, and clearing writes no new history (the trigger is paused), so the old text
does not survive in it. Photo files that no row names (their submission was rolled back) go
after a day.
"""

from __future__ import annotations

import pgtrigger
from django.db.models import Q

from incidents.models import CitizenContact, Escalation, Incident, IncidentPhoto, IncidentVersion
from trygghet.core.retention_periods import (
    Cutoffs,
    round_positions,
    sweep_orphaned_files,
    with_exact_positions,
)


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[tuple[str, int]]:
    old = cutoffs.personal_data
    texts = ~Q(description="") | ~Q(place_text="") | ~Q(people_involved="")
    incidents = Incident.objects.filter(occurred_at__lt=old)
    versions = IncidentVersion.objects.filter(pgh_obj__occurred_at__lt=old).filter(texts)
    photos = IncidentPhoto.objects.filter(incident__occurred_at__lt=old)
    positions = with_exact_positions(incidents.filter(latitude__isnull=False))
    notes = Escalation.objects.filter(called_at__lt=old).exclude(note="")
    contacts = CitizenContact.objects.filter(received_at__lt=old).filter(
        ~Q(reason="") | ~Q(place_text="") | Q(latitude__isnull=False)
    )
    contact_details = CitizenContact.objects.filter(
        received_at__lt=cutoffs.contact_details
    ).exclude(contact_details="")
    # Files no row names may go before the transaction ends: nothing will come to name them.
    swept = sweep_orphaned_files(
        IncidentPhoto, "image", before=cutoffs.orphaned_files, dry_run=dry_run
    )
    counts = [
        ("incident texts", incidents.filter(texts).count()),
        ("incident history texts", versions.count()),
        ("incident photos", photos.count()),
        ("incident positions", positions.count()),
        ("call-for-help notes", notes.count()),
        ("citizen contact texts and positions", contacts.count()),
        ("citizen contact details", contact_details.count()),
        ("photo files of incidents never saved", swept),
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
    notes.update(note="")
    contacts.update(reason="", place_text="", latitude=None, longitude=None)
    contact_details.update(contact_details="")
    return counts
