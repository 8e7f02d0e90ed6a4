"""Calls for help on an incident. Apart from the incident's own writes because their times are
checked against each other (called, then arrived) and corrected afterwards on their own."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    Escalation,
    Incident,
    ServiceNumber,
)
from incidents.services.checks import check_logged_time, moved
from patrols.models import Shift
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once


def _check_called_arrived(
    called_at: datetime,
    arrived_at: datetime | None,
    *,
    by: User,
    shift: Shift | None,
    before: tuple[datetime | None, datetime | None] = (None, None),
) -> None:
    """The times of a call for help; those already recorded (`before`) are not checked again."""
    if moved(called_at, before[0]):
        check_logged_time(called_at, "called_at", by=by, shift=shift)
    if arrived_at is not None and moved(arrived_at, before[1]):
        check_logged_time(arrived_at, "arrived_at", by=by, shift=shift)
    if arrived_at is not None and arrived_at < called_at:
        raise ValidationError(
            {"arrived_at": _("They cannot have arrived before they were called.")},
            code="order",
        )


def escalation_create(
    *,
    incident: Incident,
    by: User,
    service: str | None = None,
    service_number: ServiceNumber | None = None,
    called_at: datetime | None = None,
    arrived_at: datetime | None = None,
    reference: str = "",
    note: str = "",
    client_key: uuid.UUID | None = None,
) -> tuple[Escalation, bool]:
    """Record a call for help on an incident, usually at the tap that dials the number."""

    def create() -> Escalation:
        called = service or (service_number.service if service_number is not None else None)
        if called is None:
            raise ValidationError({"service": _("Choose whom you called.")}, code="service")
        when = called_at or timezone.now()
        _check_called_arrived(when, arrived_at, by=by, shift=incident.shift)
        return Escalation.objects.create(
            incident=incident,
            service=called,
            service_number=service_number,
            called_at=when,
            arrived_at=arrived_at,
            reference=reference,
            note=note,
            recorded_by=by,
            client_key=client_key,
        )

    return create_once(
        Escalation, client_key=client_key, create=create, owner_field="recorded_by", owner=by
    )


@transaction.atomic
def escalation_update(
    *,
    escalation: Escalation,
    by: User,
    called_at: datetime,
    arrived_at: datetime | None,
    reference: str = "",
    note: str = "",
) -> Escalation:
    """Correct the times afterwards (the call was made in a hurry) and add their reference."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    _check_called_arrived(
        called_at,
        arrived_at,
        by=by,
        shift=escalation.incident.shift,
        before=(escalation.called_at, escalation.arrived_at),
    )
    escalation.called_at = called_at
    escalation.arrived_at = arrived_at
    escalation.reference = reference
    escalation.note = note
    escalation.save()
    return escalation
