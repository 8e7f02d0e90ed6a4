"""What the retention command clears of the audit trail: reads and token uses older than
RETENTION_AUDIT_DAYS. The table's trigger refuses every delete unless this step has said so for
its own transaction, and even then keeps rows younger than the trail's floor."""

from __future__ import annotations

from django.db import connection

from trygghet.audit.models import Read, TokenUse
from trygghet.core.retention_periods import Cutoffs, Removed

# The switch the trigger reads; set_config(..., true) lasts only until the transaction ends.
SWITCH = "trygghet_audit.retention"


def purge(*, cutoffs: Cutoffs, dry_run: bool) -> list[Removed]:
    old_reads = Read.objects.filter(at__lt=cutoffs.audit)
    old_uses = TokenUse.objects.filter(at__lt=cutoffs.audit)
    counts = [
        Removed("reads of personal data", old_reads.count(), "audit"),
        Removed("uses of API tokens", old_uses.count(), "audit"),
    ]
    if dry_run:
        return counts
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [SWITCH])
        try:
            old_reads.delete()
            old_uses.delete()
        finally:
            cursor.execute("SELECT set_config(%s, 'off', true)", [SWITCH])
    return counts
