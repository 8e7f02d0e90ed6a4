"""The chief's reference data: the night button's hours, the numbers the hosts call and the
categories. Plain rows, but every change is kept (pghistory) with who made it, because a wrong
number or a closed night button reaches residents and the hosts at night."""

from __future__ import annotations

from typing import Any, TypeVar

import pghistory
from django.db import transaction
from django.utils import timezone

from incidents.models import Category, NightButtonSettings, ServiceNumber
from trygghet.accounts.models import User
from trygghet.core.rows import save_row

Row = TypeVar("Row", bound=Category | ServiceNumber | NightButtonSettings)


def reference_save(*, row: Row, by: User, **fields: Any) -> Row:
    """Save a category, a service number or the night button's settings; the change is logged
    with the chief's name in the same transaction."""
    with transaction.atomic(), pghistory.context(user=by.pk):
        return save_row(row, fields)


def night_button_settings_save(*, by: User, **fields: Any) -> NightButtonSettings:
    return reference_save(
        row=NightButtonSettings.current(),
        by=by,
        **fields,
        updated_at=timezone.now(),
        updated_by=by,
    )
