"""Retention periods: personal data is kept only as long as it is needed.

`manage.py retention` calls `purge(cutoffs=..., dry_run=...)` in the `retention` module of each
installed app, in one transaction. The periods are settings with a hard floor, so a mistyped
setting cannot wipe last week's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Never clear data younger than this, whatever the settings say.
FLOOR_PERSONAL_DATA_DAYS = 90
FLOOR_CONTACT_DETAILS_DAYS = 7


@dataclass(frozen=True)
class Cutoffs:
    """Data from before these moments is cleared."""

    personal_data: datetime
    contact_details: datetime


def cutoffs(now: datetime) -> Cutoffs:
    personal = settings.RETENTION_PERSONAL_DATA_DAYS
    contact = settings.RETENTION_CONTACT_DETAILS_DAYS
    if personal < FLOOR_PERSONAL_DATA_DAYS or contact < FLOOR_CONTACT_DETAILS_DAYS:
        raise ImproperlyConfigured(
            f"Retention periods below the floor: personal data at least "
            f"{FLOOR_PERSONAL_DATA_DAYS} days (is {personal}), contact details at least "
            f"{FLOOR_CONTACT_DETAILS_DAYS} days (is {contact})."
        )
    return Cutoffs(
        personal_data=now - timedelta(days=personal),
        contact_details=now - timedelta(days=contact),
    )
