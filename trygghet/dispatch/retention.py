"""What the retention command clears in dispatch (see trygghet/core/retention_periods.py).

The phones' positions go within the hour (services.position_purge, run here too). After
RETENTION_DISPATCH_DAYS, the free text of call-outs and their steps is emptied and their positions
rounded; what, when, how urgent and how fast stay for the figures.
"""

from __future__ import annotations

from django.db.models import Q

from trygghet.core.retention_periods import (
    Cutoffs,
    Removed,
    round_positions,
    with_exact_positions,
)
from trygghet.dispatch.models import DispatchRequest, DispatchStep
from trygghet.dispatch.services import position_purge


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[Removed]:
    old = DispatchRequest.objects.filter(requested_at__lt=cutoffs.dispatch)
    texts = old.filter(~Q(note="") | ~Q(place_text=""))
    positions = with_exact_positions(old.filter(latitude__isnull=False))
    step_notes = DispatchStep.objects.filter(request__in=old).exclude(note="")
    counts = [
        Removed("call-out texts", texts.count(), "dispatch"),
        Removed("call-out positions", positions.count(), "dispatch"),
        Removed("call-out step notes", step_notes.count(), "dispatch"),
    ]
    if dry_run:
        return counts
    texts.update(note="", place_text="")
    round_positions(positions)
    step_notes.update(note="")
    return [*counts, Removed("phone positions", position_purge())]
