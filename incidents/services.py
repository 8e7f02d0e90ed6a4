"""Every write of the incidents app. Each runs in a transaction and refuses bad input with a
ValidationError naming the field, so that nothing is half saved and the page or the API can
say what was wrong."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents.models import (
    HISTORY_FIELDS,
    CallOutcome,
    Category,
    Channel,
    CitizenContact,
    ContactOutcome,
    Escalation,
    FollowUp,
    FollowUpState,
    Incident,
    IncidentPhoto,
    NightButtonCall,
    ServiceNumber,
    Source,
)
from incidents.permissions import edit_is_amendment
from patrols.geo import area_at
from patrols.models import Area, PhoneLine, Shift, ShiftHost, ShiftState
from patrols.positions import check_position, coordinate
from patrols.selectors import active_shift_for
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can
from trygghet.core.idempotency import create_once
from trygghet.core.time import night_button_window

# Allowed follow-up steps; a closed incident can be reopened.
TRANSITIONS = {
    FollowUpState.NEW: {FollowUpState.IN_PROGRESS, FollowUpState.CLOSED},
    FollowUpState.IN_PROGRESS: {FollowUpState.CLOSED},
    FollowUpState.CLOSED: {FollowUpState.IN_PROGRESS},
}

RUNNING_CALL_CONSTRAINT = "night_button_one_running_call_per_line"
POSITION = ("latitude", "longitude")


def check_not_future(moment: datetime, field: str) -> None:
    skew = timedelta(minutes=settings.INCIDENT_CLOCK_SKEW_MINUTES)
    if moment > timezone.now() + skew:
        raise ValidationError({field: _("The time is in the future.")}, code="future")


def check_logged_time(moment: datetime, field: str, *, by: User, shift: Shift | None) -> None:
    """A host logs what happens on the shift: a time from the shift's start, or from the last
    HOST_LOG_WINDOW_HOURS hours when that reaches further back, and not in the future. Older
    times are corrected by the chief, whose amendments the history keeps."""
    check_not_future(moment, field)
    if can(by, Capability.MANAGE_INCIDENTS):
        return
    earliest = timezone.now() - timedelta(hours=settings.HOST_LOG_WINDOW_HOURS)
    if shift is not None and shift.actual_start is not None:
        earliest = min(earliest, shift.actual_start)
    if moment < earliest:
        raise ValidationError(
            {
                field: _(
                    "A host logs times from this shift, from {earliest} on. Ask the security "
                    "chief to correct an older time."
                ).format(earliest=date_format(timezone.localtime(earliest), "j F H:i"))
            },
            code="too_old",
        )


def _moved(new: datetime, old: datetime | None) -> bool:
    """Whether an edit changed a recorded time; the forms show minutes, so seconds are no
    change."""
    return old is None or abs(new - old) >= timedelta(minutes=1)


def _shift_of(by: User, shift: Shift | None) -> Shift:
    """The shift a host records on: the one given, if it is theirs and running, else their
    active shift."""
    if shift is None:
        shift = active_shift_for(by)
        if shift is None:
            raise ValidationError(
                {"shift": _("You have no active shift. Start your shift first.")},
                code="no_shift",
            )
        return shift
    if not ShiftHost.objects.filter(shift=shift, host=by, cancelled=False).exists():
        raise ValidationError({"shift": _("That shift is not yours.")}, code="not_your_shift")
    if shift.state != ShiftState.ACTIVE:
        raise ValidationError(
            {"shift": _("That shift is not running (it is closed or not started).")},
            code="shift_not_active",
        )
    return shift


def _derive_area(
    latitude: Decimal | None, longitude: Decimal | None, picked: Area | None
) -> Area | None:
    """The area whose boundary holds the position; without a position, the one the host picked."""
    if latitude is not None and longitude is not None:
        return area_at(lat=float(latitude), lon=float(longitude))
    return picked


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
        on_shift = _shift_of(by, shift)
        check_logged_time(when, "occurred_at", by=by, shift=on_shift)
        lat, lon = check_position(latitude, longitude)
        incident = Incident.objects.create(
            occurred_at=when,
            reported_by=by,
            shift=on_shift,
            category=category,
            severity=severity or category.default_severity,
            latitude=lat,
            longitude=lon,
            area=_derive_area(lat, lon, area),
            place_text=place_text,
            description=description,
            people_count=people_count,
            people_involved=people_involved,
            source=source,
            client_key=client_key,
        )
        _save_photos(incident=incident, by=by, photos=photos)
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
    if _moved(incident.occurred_at, logged_at):
        check_logged_time(incident.occurred_at, "occurred_at", by=by, shift=incident.shift)
    check_position(incident.latitude, incident.longitude)
    if {*POSITION, "area"} & changes.keys():
        incident.area = _derive_area(incident.latitude, incident.longitude, incident.area)
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


def _check_called_arrived(
    called_at: datetime,
    arrived_at: datetime | None,
    *,
    by: User,
    shift: Shift | None,
    before: tuple[datetime | None, datetime | None] = (None, None),
) -> None:
    """The times of a call for help; those already recorded (`before`) are not checked again."""
    if _moved(called_at, before[0]):
        check_logged_time(called_at, "called_at", by=by, shift=shift)
    if arrived_at is not None and _moved(arrived_at, before[1]):
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


def _check_contact(outcome: str, incident: Incident | None, phone_line: PhoneLine | None, channel):
    if outcome == ContactOutcome.BECAME_INCIDENT and incident is None:
        raise ValidationError(
            {"incident": _("Link the incident it became.")}, code="incident_missing"
        )
    if phone_line is not None and channel != "phone":
        raise ValidationError(
            {"phone_line": _("A phone line only goes with the channel phone.")}, code="line"
        )


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
    incident: Incident | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[CitizenContact, bool]:
    """Record a resident's call, visit or message on the host's shift."""

    def create() -> CitizenContact:
        when = received_at or timezone.now()
        shift = _shift_of(by, None)
        check_logged_time(when, "received_at", by=by, shift=shift)
        _check_contact(outcome, incident, phone_line, channel)
        return CitizenContact.objects.create(
            received_at=when,
            channel=channel,
            phone_line=phone_line,
            category=category,
            reason=reason,
            contact_details=contact_details,
            outcome=outcome,
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
    area = _derive_area(latitude, longitude, None)
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
    incident: Incident | None = None,
    category: Category | None = None,
    reason: str = "",
    contact_details: str = "",
) -> CitizenContact:
    """Record what came of a contact; a waiting web report becomes the host's when handled."""
    contact = CitizenContact.objects.select_for_update().get(pk=contact.pk)
    _check_contact(outcome, incident, contact.phone_line, contact.channel)
    contact.outcome = outcome
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


def night_button_call_start(
    *,
    by: User,
    phone_line: PhoneLine | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[NightButtonCall, bool]:
    """A resident called the night button: start a running call on the shift's phone line.

    Calls outside the opening hours (settings.NIGHT_BUTTON_HOURS) are accepted and flagged: the
    host answered the phone, and the record should say so."""

    def create() -> NightButtonCall:
        shift = _shift_of(by, None)
        line = shift.phone_line or phone_line
        if line is None:
            raise ValidationError(
                {"phone_line": _("Your shift has no phone line. Choose the line you answered.")},
                code="no_line",
            )
        # Lock the line: two taps on two phones must not start two calls on one line.
        PhoneLine.objects.select_for_update().get(pk=line.pk)
        if NightButtonCall.objects.filter(phone_line=line, ended_at__isnull=True).exists():
            raise ValidationError(
                {"phone_line": _("A call is already running on {line}.").format(line=line)},
                code="running",
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                return NightButtonCall.objects.create(
                    phone_line=line,
                    host=by,
                    shift=shift,
                    started_at=now,
                    outside_hours=not night_button_window().contains(now),
                    client_key=client_key,
                )
        except IntegrityError as error:
            if RUNNING_CALL_CONSTRAINT in str(error):
                raise ValidationError(
                    {"phone_line": _("A call is already running on {line}.").format(line=line)},
                    code="running",
                ) from error
            raise

    return create_once(
        NightButtonCall, client_key=client_key, create=create, owner_field="host", owner=by
    )


@transaction.atomic
def night_button_call_end(*, call: NightButtonCall, by: User, outcome: str) -> NightButtonCall:
    """End a running call with its outcome. Ending an ended call again (a resent tap) changes
    nothing."""
    call = NightButtonCall.objects.select_for_update().get(pk=call.pk)
    if call.ended_at is not None:
        return call
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose how the call ended.")}, code="outcome")
    call.ended_at = max(timezone.now(), call.started_at)
    call.outcome = outcome
    call.save(update_fields=["ended_at", "outcome"])
    return call
