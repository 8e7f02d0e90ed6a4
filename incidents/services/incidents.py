"""Logging an incident, correcting it and moving its follow-up along. What may be edited, and when
an edit is an amendment the history keeps, are rules of the incident alone, so its writes stay
together."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    HISTORY_FIELDS,
    Category,
    FollowUp,
    FollowUpState,
    Incident,
    IncidentPhoto,
    Source,
)
from incidents.permissions import edit_is_amendment
from incidents.services.checks import check_logged_time, derive_area, moved, shift_of
from incidents.services.department_tasks import department_task_open
from patrols.geo import current_version
from patrols.models import Area, Shift
from patrols.positions import check_position, coordinate
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once

# Allowed follow-up steps; a closed incident can be reopened.
TRANSITIONS = {
    FollowUpState.NEW: {FollowUpState.IN_PROGRESS, FollowUpState.CLOSED},
    FollowUpState.IN_PROGRESS: {FollowUpState.CLOSED},
    FollowUpState.CLOSED: {FollowUpState.IN_PROGRESS},
}

POSITION = ("latitude", "longitude")


def incident_create(
    *,
    by: User,
    category: Category,
    occurred_at: datetime | None = None,
    shift: Shift | None = None,
    severity: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    area: Area | None = None,
    place_text: str = "",
    description: str = "",
    people_count: int | None = None,
    people_involved: str = "",
    source: str = Source.OWN_OBSERVATION,
    photos: Iterable[File] = (),
    client_key: uuid.UUID | None = None,
) -> tuple[Incident, bool]:
    """Log an incident on the host's running shift. Returns (incident, created): a resent
    submission with the same client key returns the first incident."""

    def create() -> Incident:
        if not category.active:
            raise ValidationError({"category": _("Unknown category.")}, code="category")
        when = occurred_at or timezone.now()
        on_shift = shift_of(by, shift)
        check_logged_time(when, "occurred_at", by=by, shift=on_shift)
        lat, lon = check_position(latitude, longitude)
        in_area = derive_area(lat, lon, area)
        incident = Incident.objects.create(
            occurred_at=when,
            reported_by=by,
            shift=on_shift,
            category=category,
            severity=severity or category.default_severity,
            latitude=lat,
            longitude=lon,
            area=in_area,
            area_version=current_version(in_area),
            place_text=place_text,
            description=description,
            people_count=people_count,
            people_involved=people_involved,
            source=source,
            client_key=client_key,
        )
        _save_photos(incident=incident, by=by, photos=photos)
        department_task_open(incident=incident, by=by)
        return incident

    return create_once(
        Incident, client_key=client_key, create=create, owner_field="reported_by", owner=by
    )


def _save_photos(*, incident: Incident, by: User, photos: Iterable[File]) -> None:
    for photo in photos:
        IncidentPhoto.objects.create(incident=incident, image=photo, uploaded_by=by)


EDITABLE_FIELDS = tuple(field for field in HISTORY_FIELDS if field != "shift")


@transaction.atomic
def incident_update(
    *, incident: Incident, by: User, photos: Iterable[File] = (), **changes
) -> Incident:
    """Change an incident. After its shift has closed the change is an amendment: the history
    (a database trigger) keeps the row as it was, and the context says who amended it."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    incident = (
        Incident.objects.select_for_update(of=("self",)).select_related("shift").get(pk=incident.pk)
    )
    amendment = edit_is_amendment(incident)
    logged_at = incident.occurred_at
    for field, value in changes.items():
        setattr(incident, field, coordinate(value, field) if field in POSITION else value)
    if "category" in changes and not incident.category.active:
        raise ValidationError({"category": _("Unknown category.")}, code="category")
    if incident.severity is None:
        incident.severity = incident.category.default_severity
    if moved(incident.occurred_at, logged_at):
        check_logged_time(incident.occurred_at, "occurred_at", by=by, shift=incident.shift)
    check_position(incident.latitude, incident.longitude)
    if {*POSITION, "area"} & changes.keys():
        incident.area = derive_area(incident.latitude, incident.longitude, incident.area)
        incident.area_version = current_version(incident.area)
    with pghistory.context(user=by.pk, amendment=amendment):
        incident.save()
    _save_photos(incident=incident, by=by, photos=photos)
    return incident


@transaction.atomic
def incident_set_state(*, incident: Incident, by: User, state: str, note: str = "") -> FollowUp:
    """Move an incident's follow-up along (new → in progress → closed), with a note. Locks the
    incident, so two people acting at once cannot both move it from the same state."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if state not in TRANSITIONS[FollowUpState(incident.state)]:
        raise ValidationError(
            {
                "state": _("An incident that is {current} cannot be set to {new}.").format(
                    current=FollowUpState(incident.state).label.lower(),
                    new=FollowUpState(state).label.lower(),
                )
            },
            code="transition",
        )
    incident.state = state
    incident.save(update_fields=["state", "updated_at"])
    return FollowUp.objects.create(incident=incident, state=state, note=note, by=by)
