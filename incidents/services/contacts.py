"""Residents' calls, visits and web reports, and the incident a contact becomes. The web report
is the one write no host makes, so it stands here with the reference number it hands out."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    Category,
    Channel,
    CitizenContact,
    ContactOutcome,
    Incident,
    Referral,
)
from incidents.services.checks import check_logged_time, derive_area, shift_of
from incidents.services.incidents import incident_create
from patrols.models import PhoneLine
from patrols.positions import check_position
from patrols.selectors import active_shift_for
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once


def _check_contact(outcome: str, incident: Incident | None):
    if outcome == ContactOutcome.BECAME_INCIDENT and incident is None:
        raise ValidationError(
            {"incident": _("Link the incident it became.")}, code="incident_missing"
        )


def _referral(outcome: str, referred_to: str, referred_to_other: str) -> dict[str, str]:
    """Where a referred resident went: the police for a police referral; for another
    authority, which one (an on-call line of the municipality, or one named in words). Nothing
    for a contact that was not referred."""
    if outcome == ContactOutcome.REFERRED_POLICE:
        return {"referred_to": Referral.POLICE, "referred_to_other": ""}
    if outcome != ContactOutcome.REFERRED_OTHER:
        return {"referred_to": "", "referred_to_other": ""}
    if referred_to in ("", Referral.POLICE):
        raise ValidationError(
            {"referred_to": _("Choose where the resident was referred.")}, code="referral"
        )
    referred_to_other = referred_to_other.strip() if referred_to == Referral.OTHER else ""
    if referred_to == Referral.OTHER and not referred_to_other:
        raise ValidationError(
            {"referred_to_other": _("Name the authority the resident was referred to.")},
            code="referral",
        )
    return {"referred_to": referred_to, "referred_to_other": referred_to_other}


def citizen_contact_create(
    *,
    by: User,
    channel: str,
    received_at: datetime | None = None,
    phone_line: PhoneLine | None = None,
    category: Category | None = None,
    reason: str = "",
    contact_details: str = "",
    outcome: str = "",
    referred_to: str = "",
    referred_to_other: str = "",
    incident: Incident | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[CitizenContact, bool]:
    """Record a resident's call, visit or message on the host's shift."""

    def create() -> CitizenContact:
        when = received_at or timezone.now()
        shift = shift_of(by, None)
        check_logged_time(when, "received_at", by=by, shift=shift)
        _check_contact(outcome, incident)
        referral = _referral(outcome, referred_to, referred_to_other)
        return CitizenContact.objects.create(
            received_at=when,
            channel=channel,
            # A line picked before the host switched to "in person" or "web" was not called.
            phone_line=phone_line if channel == Channel.PHONE else None,
            category=category,
            reason=reason,
            contact_details=contact_details,
            outcome=outcome,
            **referral,
            incident=incident,
            recorded_by=by,
            shift=shift,
            client_key=client_key,
        )

    return create_once(
        CitizenContact, client_key=client_key, create=create, owner_field="recorded_by", owner=by
    )


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to mix up on the phone


def _new_reference() -> str:
    return "TV-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def citizen_contact_report(
    *,
    category: Category,
    reason: str,
    contact_details: str = "",
    place_text: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> CitizenContact:
    """A resident's non-urgent report from the public page. It waits, unhandled and on no
    shift, in the hosts' list of citizen contacts; the reference number lets the resident refer
    to it when they call."""
    latitude, longitude = check_position(latitude, longitude)
    area = derive_area(latitude, longitude, None)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return CitizenContact.objects.create(
                    received_at=timezone.now(),
                    channel=Channel.WEB,
                    category=category,
                    reason=reason,
                    contact_details=contact_details,
                    place_text=place_text,
                    latitude=latitude,
                    longitude=longitude,
                    area=area,
                    reference=_new_reference(),
                )
        except IntegrityError as error:
            # 32**6 references make a clash rare; another draw settles it.
            if "reference" not in str(error):
                raise
    raise RuntimeError("no free reference number")


@transaction.atomic
def citizen_contact_update(
    *,
    contact: CitizenContact,
    by: User,
    outcome: str,
    referred_to: str = "",
    referred_to_other: str = "",
    incident: Incident | None = None,
    category: Category | None = None,
    reason: str = "",
    contact_details: str = "",
) -> CitizenContact:
    """Record what came of a contact; a waiting web report becomes the host's when handled."""
    contact = CitizenContact.objects.select_for_update().get(pk=contact.pk)
    _check_contact(outcome, incident)
    referral = _referral(outcome, referred_to, referred_to_other)
    contact.outcome = outcome
    contact.referred_to = referral["referred_to"]
    contact.referred_to_other = referral["referred_to_other"]
    contact.incident = incident
    contact.category = category
    contact.reason = reason
    contact.contact_details = contact_details
    if contact.recorded_by_id is None and contact.shift_id is None:
        contact.recorded_by = by
        contact.shift = active_shift_for(by)
    contact.save()
    return contact


@transaction.atomic
def incident_create_for_contact(
    *, contact: CitizenContact, by: User, **incident
) -> tuple[Incident, bool]:
    """Log the incident a citizen contact became and link the two: both or neither. A resent
    submission returns the first incident and leaves the contact as it linked it."""
    logged, created = incident_create(by=by, **incident)
    if created:
        citizen_contact_update(
            contact=contact,
            by=by,
            outcome=ContactOutcome.BECAME_INCIDENT,
            incident=logged,
            category=contact.category,
            reason=contact.reason,
            contact_details=contact.contact_details,
        )
    return logged, created
