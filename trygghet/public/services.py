"""Writes of the public page: residents' reports, and the chief's wording of its sections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from incidents.models import Category, CitizenContact
from incidents.services import citizen_contact_report
from trygghet.accounts.models import User
from trygghet.core.rows import save_row
from trygghet.public.models import PublicText
from trygghet.public.notifications import report_notify


def public_text_save(*, key: str, by: User, **fields: Any) -> PublicText:
    """The chief's own wording of one section, shown on the public page from now on."""
    text = PublicText.objects.filter(key=key).first() or PublicText(key=key)
    return save_row(text, {**fields, "updated_by": by})


def public_text_reset(*, key: str) -> None:
    """Show the section's default wording again."""
    PublicText.objects.filter(key=key).delete()


@transaction.atomic
def report_create(
    *,
    category: Category,
    reason: str,
    contact_details: str = "",
    place_text: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> CitizenContact:
    """A resident's report from the public page or Open311: it waits in the hosts' list of
    citizen contacts, and the hosts on a running shift are told at once."""
    contact = citizen_contact_report(
        category=category,
        reason=reason,
        contact_details=contact_details,
        place_text=place_text,
        latitude=latitude,
        longitude=longitude,
    )
    report_notify(contact=contact)
    return contact
