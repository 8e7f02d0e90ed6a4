"""Every write of dispatch: one path per aggregate. A request changes state only through
`dispatch_request_transition`, which locks the request, checks that nobody changed it since the
caller looked (its version), checks the transition matrix and who may take the step, and writes
the step row and the pointer in one transaction. Phones' positions are recorded and purged here.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from incidents.models import Category, CitizenContact, ContactOutcome, Incident
from incidents.models import Source as IncidentSource
from incidents.services import citizen_contact_update, incident_create
from patrols.geo import area_at
from patrols.models import Priority, Shift, ShiftState
from patrols.positions import check_position
from patrols.selectors import active_shift_for
from properties.models import Property
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once
from trygghet.dispatch.models import (
    ASSIGNED_STATES,
    HOST_STEPS,
    TRANSITIONS,
    DispatchRequest,
    DispatchStep,
    Outcome,
    Position,
    Source,
    State,
)
from trygghet.dispatch.notifications import step_notify
from trygghet.dispatch.permissions import crew_of, is_dispatcher, may_take_step

ONE_OPEN_PER_CONTACT = "dispatch_one_open_per_contact"

# What a cleared request tells the citizen contact it came from, when nobody has yet. A
# referral is not among them: the contact names where the resident went, which only the host
# knows, so it waits for the host.
CONTACT_OUTCOMES = {
    Outcome.HANDLED: ContactOutcome.HANDLED,
    Outcome.NOTHING_FOUND: ContactOutcome.HANDLED,
    Outcome.INCIDENT: ContactOutcome.BECAME_INCIDENT,
}
# The source an incident logged from a request gets.
INCIDENT_SOURCES = {
    Source.CITIZEN_CONTACT: IncidentSource.CITIZEN_CALL,
    Source.PARTNER: IncidentSource.PARTNER,
    Source.PROPERTY_ALARM: IncidentSource.PROPERTY_CHECK,
    Source.CHIEF: IncidentSource.OWN_OBSERVATION,
    Source.NIGHT_BUTTON: IncidentSource.NIGHT_BUTTON,
}


def car_label(shift: Shift | None) -> str:
    """How the board and the messages name a car: the vehicle, else the shift's time."""
    if shift is None:
        return ""
    if shift.vehicle is not None:
        return shift.vehicle.name
    return _("Shift {time}").format(time=time_format(timezone.localtime(shift.start), "H:i"))


def _state_text(request: DispatchRequest) -> str:
    label = str(State(request.state).label)
    if request.state in ASSIGNED_STATES:
        return f"{label} – {car_label(request.shift)}"
    return label


# --- Requests


def dispatch_request_create(
    *,
    by: User,
    what: str,
    source: str,
    priority: int = Priority.NORMAL,
    category: Category | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    place_text: str = "",
    note: str = "",
    citizen_contact: CitizenContact | None = None,
    property: Property | None = None,
    shift: Shift | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[DispatchRequest, bool]:
    """Create a request, and send it to `shift` at once when one is given (one step from a
    citizen contact: "send the car"). The place is the position given, else the property's;
    the area is the one the place lies in. Returns (request, created): a resent form with the
    same client key returns the first request."""

    def create() -> DispatchRequest:
        if not is_dispatcher(by):
            raise ValidationError(_("Only a dispatcher can create call-outs."), code="not_allowed")
        text = what.strip()
        if not text:
            raise ValidationError({"what": _("Say what it is about.")}, code="what")
        if source not in Source.values:
            raise ValidationError({"source": _("Choose where it came from.")}, code="source")
        if citizen_contact is not None and source != Source.CITIZEN_CONTACT:
            raise ValidationError(
                {"source": _("A call-out from a citizen contact has the source citizen contact.")},
                code="source",
            )
        if priority not in Priority.values:
            raise ValidationError({"priority": _("Choose a priority.")}, code="priority")
        given = (latitude, longitude)
        if given == (None, None) and property is not None:
            given = (property.latitude, property.longitude)
        lat, lon = check_position(*given)
        now = timezone.now()
        request = DispatchRequest(
            what=text,
            category=category,
            priority=priority,
            source=source,
            latitude=lat,
            longitude=lon,
            place_text=place_text.strip() or (property.address if property else ""),
            area=area_at(lat=float(lat), lon=float(lon))
            if lat is not None and lon is not None
            else None,
            note=note.strip(),
            citizen_contact=citizen_contact,
            property=property,
            requested_at=now,
            requested_by=by,
            state_at=now,
            client_key=client_key,
        )
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as error:
            if ONE_OPEN_PER_CONTACT in str(error):
                raise ValidationError(
                    {"citizen_contact": _("A car is already on its way for this contact.")},
                    code="contact_open",
                ) from error
            raise
        _apply(request, by=by, to=State.REQUESTED)
        if shift is not None:
            _apply(request, by=by, to=State.DISPATCHED, shift=shift)
        return request

    return create_once(
        DispatchRequest, client_key=client_key, create=create, owner_field="requested_by", owner=by
    )


def dispatch_request_transition(
    *,
    request: DispatchRequest,
    by: User,
    to: str,
    version: int,
    shift: Shift | None = None,
    outcome: str = "",
    incident: Incident | None = None,
    note: str = "",
    client_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> tuple[DispatchStep, bool]:
    """Take one step: dispatch to a car (or another car), put back in the queue, cancel,
    acknowledge, on scene, clear with an outcome. `version` is the one the caller saw: if the
    request changed since, nobody's view is out of date in silence; the second of two people
    acting at once is told what happened instead. A resent tap (same client key) returns the
    first step. `at` is when a host tapped a step that waited on an offline phone. Returns
    (step, created)."""

    def create() -> DispatchStep:
        locked = (
            DispatchRequest.objects.select_related("shift__vehicle")
            .select_for_update(of=("self",))
            .get(pk=request.pk)
        )
        if locked.version != version:
            raise ValidationError(_changed_message(locked), code="changed")
        step = _apply(
            locked,
            by=by,
            to=to,
            shift=shift,
            outcome=outcome,
            incident=incident,
            note=note,
            client_key=client_key,
            at=at,
        )
        if to == State.CLEARED:
            _close_citizen_contact(locked, by=by)
        return step

    step, created = create_once(
        DispatchStep, client_key=client_key, create=create, owner_field="by", owner=by
    )
    request.refresh_from_db()
    return step, created


def dispatch_request_clear_as_incident(
    *,
    request: DispatchRequest,
    by: User,
    version: int,
    category: Category,
    description: str = "",
    severity: int | None = None,
    client_key: uuid.UUID | None = None,
) -> tuple[DispatchStep, Incident]:
    """Clear the request as "became an incident": log the incident on the car's shift through
    incidents' own service (its rules and validation), at the request's place, and link it.
    All or nothing; a resend with the same key returns what the first made."""
    if not crew_of(by, request):
        raise ValidationError(
            _("Only the car's crew can log the incident. Clear it with another outcome."),
            code="not_crew",
        )
    with transaction.atomic():
        incident, _created = incident_create(
            by=by,
            category=category,
            shift=request.shift,
            severity=severity,
            latitude=request.latitude,
            longitude=request.longitude,
            area=request.area,
            place_text=request.place_text,
            description=description,
            source=INCIDENT_SOURCES[Source(request.source)],
            client_key=client_key,
        )
        step, _created = dispatch_request_transition(
            request=request,
            by=by,
            to=State.CLEARED,
            version=version,
            outcome=Outcome.INCIDENT,
            incident=incident,
            client_key=client_key,
        )
    return step, incident


def _changed_message(request: DispatchRequest) -> str:
    last = request.steps.select_related("by").order_by("-number").first()
    return _(
        "{name} got there first: the call-out is now “{state}” (since {time}). "
        "Look at it again before you act."
    ).format(
        name=last.by if last else "–",
        state=_state_text(request),
        time=time_format(timezone.localtime(request.state_at), "H:i"),
    )


def _refuse(message: str, code: str) -> NoReturn:
    raise ValidationError(message, code=code)


def _check_step(
    request: DispatchRequest,
    *,
    by: User,
    to: str,
    shift: Shift | None,
    outcome: str,
    incident: Incident | None,
) -> None:
    """The transition matrix, who may take the step, and what each step needs."""
    if to not in State.values:
        _refuse(_("Unknown state."), "unknown_state")
    if to not in TRANSITIONS[request.state]:
        _refuse(
            _("A call-out cannot go from “{current}” to “{new}”.").format(
                current=State(request.state).label, new=State(to).label
            ),
            "transition",
        )
    if not may_take_step(by, request, to):
        _refuse(
            _("This call-out is not your car's now.")
            if to in HOST_STEPS
            else _("Only a dispatcher can do that."),
            "not_allowed",
        )
    if (
        to in HOST_STEPS
        and not is_dispatcher(by)
        and (request.shift is None or request.shift.state != ShiftState.ACTIVE)
    ):
        _refuse(_("Your shift has ended."), "shift_ended")
    if to == State.DISPATCHED:
        if shift is None:
            _refuse(_("Choose the car to send."), "no_shift")
        if shift.state != ShiftState.ACTIVE:
            _refuse(
                _("{car} is not on duty: its shift is not running.").format(car=car_label(shift)),
                "shift_not_active",
            )
        if shift.pk == request.shift_id:
            _refuse(
                _("{car} already has this call-out.").format(car=car_label(shift)), "same_shift"
            )
    if to == State.CLEARED:
        if outcome not in Outcome.values:
            _refuse(_("Choose how it ended."), "outcome")
        if (outcome == Outcome.INCIDENT) != (incident is not None):
            _refuse(_("Became an incident needs the incident it became."), "incident")
    elif outcome or incident is not None:
        _refuse(_("Only clearing has an outcome."), "outcome")


def _apply(
    request: DispatchRequest,
    *,
    by: User,
    to: str,
    shift: Shift | None = None,
    outcome: str = "",
    incident: Incident | None = None,
    note: str = "",
    client_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> DispatchStep:
    """Write the step and move the pointer; the caller holds the request's lock (or just made
    it). The step's number is the next version, unique per request in the database."""
    first = request.version == 0
    if not first:
        _check_step(request, by=by, to=to, shift=shift, outcome=outcome, incident=incident)
    now = timezone.now() if at is None else _step_moment(request, at)
    step = DispatchStep.objects.create(
        request=request,
        number=request.version + 1,
        from_state="" if first else request.state,
        state=to,
        at=now,
        by=by,
        shift=shift if to == State.DISPATCHED else request.shift,
        outcome=outcome,
        note=note.strip(),
        client_key=client_key,
    )
    before = request.shift_id
    request.state, request.version, request.state_at = to, step.number, now
    if to == State.DISPATCHED:
        request.shift = shift
    elif to == State.REQUESTED:
        request.shift = None
    request.outcome, request.incident = outcome, incident
    request.save(update_fields=["state", "version", "state_at", "shift", "outcome", "incident"])
    step_notify(request=request, step=step, before=before)
    return step


def _step_moment(request: DispatchRequest, at: datetime) -> datetime:
    """A step tapped on an offline phone keeps its moment, within the car's shift; it cannot
    come before the step it follows."""
    if request.shift is not None:
        request.shift.check_moment(at)
    return max(at, request.state_at)


def _close_citizen_contact(request: DispatchRequest, *, by: User) -> None:
    """A resident's call that nobody has closed yet gets the request's outcome (and the
    incident it became), through incidents' own service."""
    contact = request.citizen_contact
    outcome = CONTACT_OUTCOMES.get(Outcome(request.outcome))
    if contact is None or contact.outcome or outcome is None:
        return
    citizen_contact_update(
        contact=contact,
        by=by,
        outcome=outcome,
        incident=request.incident,
        category=contact.category,
        reason=contact.reason,
        contact_details=contact.contact_details,
    )


# --- Positions


def _retention() -> timedelta:
    return timedelta(minutes=settings.DISPATCH_POSITION_RETENTION_MINUTES)


def position_record(
    *,
    host: User,
    latitude: Decimal | float,
    longitude: Decimal | float,
    accuracy: int | None = None,
) -> Position:
    """The phone's position on the host's active shift; older positions are purged on the way."""
    shift = active_shift_for(host)
    if shift is None:
        raise ValidationError(_("You have no active shift."), code="no_shift")
    lat, lon = check_position(latitude, longitude)
    if lat is None:
        raise ValidationError({"latitude": _("No position.")}, code="position")
    position = Position.objects.create(
        shift=shift, host=host, latitude=lat, longitude=lon, accuracy=accuracy
    )
    position_purge()
    return position


def position_forget(*, host: User) -> int:
    """The host switched sharing off: their positions go at once."""
    deleted, _by_model = Position.objects.filter(host=host).delete()
    return deleted


def expired_positions(now: datetime | None = None):
    """Positions past their time: older than the retention, except the newest of each shift
    that is active or ended less than the retention ago (the board's "last known")."""
    cutoff = (now or timezone.now()) - _retention()
    newest_of_shift = Subquery(
        Position.objects.filter(shift=OuterRef("shift"))
        .order_by("-recorded_at", "-id")
        .values("pk")[:1]
    )
    kept = Q(pk=newest_of_shift) & (
        Q(shift__state=ShiftState.ACTIVE) | Q(shift__actual_end__gte=cutoff)
    )
    return Position.objects.filter(recorded_at__lt=cutoff).exclude(kept)


def position_purge(*, now: datetime | None = None) -> int:
    deleted, _by_model = expired_positions(now).delete()
    return deleted
