from __future__ import annotations

from patrols.models import Shift
from trygghet.accounts.models import User


def active_shift_for(user: User) -> Shift | None:
    """The shift the host is working now, if any (a host has at most one: shifts never overlap)."""
    return (
        Shift.objects.active()
        .for_host(user)
        .select_related("vehicle", "phone_line")
        .order_by("-actual_start")
        .first()
    )
