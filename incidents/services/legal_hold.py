from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incidents.models import CitizenContact, Incident
from trygghet.accounts.models import User


@transaction.atomic
def legal_hold_set(
    *, record: Incident | CitizenContact, by: User, held: bool, note: str = ""
) -> Incident | CitizenContact:
    """Keep a record from retention (or let it go again), e.g. while a police case needs it.
    A hold needs its reason, which the retention log's reader will ask for."""
    note = note.strip()
    if held and not note:
        raise ValidationError({"note": _("Say why the record is kept, e.g. the case number.")})
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    record.legal_hold = held
    record.legal_hold_note = note if held else ""
    model.objects.filter(pk=record.pk).update(
        legal_hold=record.legal_hold, legal_hold_note=record.legal_hold_note
    )
    return record
