"""What the retention command clears in the properties app: photo files of deviations that were
never saved (their check was rolled back), after a day. Deviations themselves are the owning
departments' records of damage to their buildings and are kept."""

from __future__ import annotations

from properties.models import DeviationPhoto
from trygghet.core.retention_periods import Cutoffs, sweep_orphaned_files


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[tuple[str, int]]:
    swept = sweep_orphaned_files(
        DeviationPhoto, "image", before=cutoffs.orphaned_files, dry_run=dry_run
    )
    return [("photo files of deviations never saved", swept)]
