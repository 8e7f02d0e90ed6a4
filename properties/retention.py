"""What the retention command clears in the properties app.

A deviation stays (the owning department's record of damage to its building, counted in the
figures), but after RETENTION_DEVIATION_DAYS from when it was found its free text (what was
found, the note on what was done, the notes of its steps) is emptied and its photos deleted:
they may show or name people. Photo files of deviations that were never saved (their check was
rolled back) go after a day.
"""

from __future__ import annotations

from django.db.models import Q

from properties.models import Deviation, DeviationPhoto, DeviationStep
from trygghet.core.follow_up import clear_step_notes, step_notes
from trygghet.core.retention_periods import Cutoffs, Removed, sweep_orphaned_files


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[Removed]:
    old = Deviation.objects.filter(found_at__lt=cutoffs.deviations)
    texts = old.filter(~Q(description="") | ~Q(action_note=""))
    notes = step_notes(DeviationStep.objects.filter(deviation__in=old))
    photos = DeviationPhoto.objects.filter(deviation__in=old)
    swept = sweep_orphaned_files(
        DeviationPhoto, "image", before=cutoffs.orphaned_files, dry_run=dry_run
    )
    counts = [
        Removed("deviation texts", texts.count(), "deviations"),
        Removed("deviation step notes", notes.count(), "deviations"),
        Removed("deviation photos", photos.count(), "deviations"),
        Removed("photo files of deviations never saved", swept),
    ]
    if dry_run:
        return counts
    texts.update(description="", action_note="")
    clear_step_notes(notes)
    for photo in photos:
        photo.image.delete(save=False)
    photos.delete()
    return counts
