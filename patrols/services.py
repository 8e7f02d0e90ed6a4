"""Every write of the patrols app. Views, the API and the admin call these; each runs in a
transaction and locks the row it changes where two people (two hosts in one car, the chief and a
host) can race."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from patrols.geo import validate_boundary
from patrols.models import (
    HOST_OVERLAP,
    PHONE_LINE_OVERLAP,
    VEHICLE_OVERLAP,
    Area,
    AreaVersion,
    Assignment,
    CalendarFeed,
    Consultation,
    PhoneLine,
    Shift,
    ShiftHost,
    ShiftState,
    Vehicle,
    Visit,
)
from patrols.selectors import last_odometer
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once
from trygghet.core.rows import save_row
from trygghet.core.time import localize

OVERLAPS = (HOST_OVERLAP, VEHICLE_OVERLAP, PHONE_LINE_OVERLAP)
# A host may start a planned shift a little early (loading the car), never a day early.
START_EARLY = timedelta(hours=2)
MAX_SHIFT = timedelta(hours=16)


# Times sent by a phone that was offline may lag; a clock a little ahead is tolerated.
def _local(moment: datetime, format_name: str = "SHORT_DATETIME_FORMAT") -> str:
    return date_format(timezone.localtime(moment), format_name)


# --- Areas and assignments


def area_create(
    *,
    name: str,
    kind: str,
    boundary: dict | str,
    notes: str = "",
    active: bool = True,
    by: User | None = None,
    reason: str = "",
) -> Area:
    area = Area(
        name=name, kind=kind, boundary=validate_boundary(boundary), notes=notes, active=active
    )
    area.full_clean()
    with transaction.atomic():
        area.save()
        AreaVersion.objects.create(
            area=area, number=1, boundary=area.boundary, changed_by=by, reason=reason.strip()
        )
    return area


@transaction.atomic
def area_update(
    *,
    area: Area,
    name: str,
    kind: str,
    boundary: dict | str,
    notes: str = "",
    by: User | None = None,
    reason: str = "",
) -> Area:
    """Change what the area is called, its kind, its boundary and why it matters. A new boundary
    is a new version, with who changed it and why; the old one stays for what happened in it."""
    # Locked, so two edits at once cannot both become the next version.
    stored = Area.objects.select_for_update().only("boundary").get(pk=area.pk)
    boundary = validate_boundary(boundary)
    moved = boundary != stored.boundary
    area.name, area.kind, area.notes, area.boundary = name, kind, notes, boundary
    area.full_clean()
    area.save()
    if moved:
        last = area.versions.order_by("-number").values_list("number", flat=True).first() or 0
        AreaVersion.objects.create(
            area=area, number=last + 1, boundary=boundary, changed_by=by, reason=reason.strip()
        )
    return area


def area_set_active(*, area: Area, active: bool) -> Area:
    """Deactivate rather than delete: visits and incidents keep pointing at the area."""
    area.active = active
    area.save(update_fields=["active", "updated_at"])
    return area


def resource_save(*, resource: Vehicle | PhoneLine, **fields: Any) -> Vehicle | PhoneLine:
    """A car or a phone line is plain data of one row: its model's rules are all there is."""
    return save_row(resource, fields)


@transaction.atomic
def assignment_create(
    *, created_by: User, consultations: Iterable[dict] = (), **fields
) -> Assignment:
    """A new assignment; `consultations` are the parties consulted besides `consulted_with`,
    each a dict of party, consulted_on and note."""
    assignment = Assignment(created_by=created_by, **fields)
    assignment.full_clean()
    assignment.save()
    _set_consultations(assignment, consultations)
    return assignment


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, consultations: Iterable[dict] | None = None, **fields
) -> Assignment:
    """Change an assignment; `consultations`, when given, replace the parties consulted."""
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.full_clean()
    assignment.save()
    if consultations is not None:
        assignment.consultations.all().delete()
        _set_consultations(assignment, consultations)
    return assignment


def _set_consultations(assignment: Assignment, consultations: Iterable[dict]) -> None:
    rows = [Consultation(assignment=assignment, **consultation) for consultation in consultations]
    for row in rows:
        row.full_clean(exclude=["assignment"])
    Consultation.objects.bulk_create(rows)


def assignment_end(*, assignment: Assignment, on: date) -> Assignment:
    """End an assignment after the given day; it stays in the records behind the presence figures."""
    assignment.valid_to = max(on, assignment.valid_from)
    assignment.save(update_fields=["valid_to"])
    return assignment


# --- Calendar feeds


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The user's feed address, made the first time it is asked for."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new address for the user's feed; the old one stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token = uuid.uuid4()
    feed.save(update_fields=["token", "issued_at"])
    return feed


# --- Shifts


def _booked_hosts(hosts: Iterable[User], period: DateTimeTZRange, shift: Shift | None) -> set:
    """The hosts among `hosts` that another shift already holds during `period`."""
    booked = ShiftHost.objects.filter(
        host__in=list(hosts), cancelled=False, period__overlap=period
    ).select_related("host")
    if shift is not None and shift.pk:
        booked = booked.exclude(shift=shift)
    return {row.host for row in booked}


def _overlap(error: IntegrityError) -> str | None:
    """The name of the exclusion constraint that refused the write, if it was one of ours."""
    return next((name for name in OVERLAPS if name in str(error)), None)


@contextmanager
def _refusing_overlaps(
    hosts: list[User],
    period: DateTimeTZRange,
    shift: Shift | None = None,
    *,
    vehicle: Vehicle | None = None,
    phone_line: PhoneLine | None = None,
) -> Iterator[None]:
    """PostgreSQL refuses a host, a car or a phone line on two overlapping shifts (exclusion
    constraints); that becomes a ValidationError naming what is already booked, and the writes
    inside are undone."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        constraint = _overlap(error)
        if constraint == VEHICLE_OVERLAP:
            message = _(
                "A car cannot be on two shifts at the same time: {name} is already booked then."
            ).format(name=vehicle)
        elif constraint == PHONE_LINE_OVERLAP:
            message = _(
                "A phone line cannot be on two shifts at the same time: {name} is already "
                "booked then."
            ).format(name=phone_line)
        elif constraint == HOST_OVERLAP:
            names = ", ".join(
                sorted(str(host) for host in _booked_hosts(hosts, period, shift) or hosts)
            )
            message = _(
                "A host cannot be on two shifts at the same time: {names} already has a shift then."
            ).format(names=names)
        else:
            raise
        raise ValidationError(message, code="overlap") from error


def _check_plan(planned_start: datetime, planned_end: datetime, hosts: list[User]) -> None:
    if planned_end <= planned_start:
        raise ValidationError(_("The shift must end after it starts."), code="order")
    if planned_end - planned_start > MAX_SHIFT:
        raise ValidationError(_("A shift can be at most 16 hours long."), code="too_long")
    if not hosts:
        raise ValidationError(_("A shift needs at least one host."), code="no_hosts")


def shift_plan(
    *,
    planned_start: datetime,
    planned_end: datetime,
    hosts: Iterable[User],
    vehicle: Vehicle | None = None,
    phone_line: PhoneLine | None = None,
    created_by: User | None = None,
) -> Shift:
    """Plan a shift. A host already on a shift at that time makes it a ValidationError naming
    that host, and nothing is saved."""
    hosts = list(hosts)
    _check_plan(planned_start, planned_end, hosts)
    period = DateTimeTZRange(planned_start, planned_end)
    with _refusing_overlaps(hosts, period, vehicle=vehicle, phone_line=phone_line):
        shift = Shift.objects.create(
            planned_start=planned_start,
            planned_end=planned_end,
            period=period,
            vehicle=vehicle,
            phone_line=phone_line,
            created_by=created_by,
        )
        ShiftHost.objects.bulk_create(
            ShiftHost(shift=shift, host=host, period=period) for host in hosts
        )
    return shift


def _locked(shift: Shift) -> Shift:
    return Shift.objects.select_for_update().get(pk=shift.pk)


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    planned_start: datetime,
    planned_end: datetime,
    hosts: Iterable[User],
    vehicle: Vehicle | None = None,
    phone_line: PhoneLine | None = None,
) -> Shift:
    """Change a planned shift: its times, hosts, car and phone."""
    hosts = list(hosts)
    shift = _locked(shift)
    if shift.state != ShiftState.PLANNED:
        raise ValidationError(
            _("Only a planned shift can be changed; this one is {state}.").format(
                state=shift.get_state_display().lower()
            ),
            code="state",
        )
    _check_plan(planned_start, planned_end, hosts)
    period = DateTimeTZRange(planned_start, planned_end)
    with _refusing_overlaps(hosts, period, shift, vehicle=vehicle, phone_line=phone_line):
        shift.planned_start, shift.planned_end, shift.period = planned_start, planned_end, period
        shift.vehicle, shift.phone_line = vehicle, phone_line
        shift.save(
            update_fields=["planned_start", "planned_end", "period", "vehicle", "phone_line"]
        )
        shift.shift_hosts.exclude(host__in=hosts).delete()
        shift.shift_hosts.update(period=period)
        kept = set(shift.shift_hosts.values_list("host_id", flat=True))
        ShiftHost.objects.bulk_create(
            ShiftHost(shift=shift, host=host, period=period)
            for host in hosts
            if host.pk not in kept
        )
    return shift


@transaction.atomic
def shift_cancel(*, shift: Shift) -> Shift:
    """Cancel a planned shift; its hosts are free for other shifts at that time. Cancelling a
    cancelled shift again changes nothing."""
    shift = _locked(shift)
    if shift.state == ShiftState.CANCELLED:
        return shift
    if shift.state != ShiftState.PLANNED:
        raise ValidationError(
            _("Only a planned shift can be cancelled; this one is {state}.").format(
                state=shift.get_state_display().lower()
            ),
            code="state",
        )
    shift.state = ShiftState.CANCELLED
    shift.save(update_fields=["state"])
    shift.shift_hosts.update(cancelled=True)
    return shift


def _week_later(moment: datetime, weeks: int) -> datetime:
    """The same local wall-clock time `weeks` later, across a clock change too."""
    local = timezone.localtime(moment)
    return localize(local.date() + timedelta(weeks=weeks), local.time())


@transaction.atomic
def shift_week_copy(*, week: date, to_week: date, created_by: User) -> list[Shift]:
    """Copy the shifts of the week starting on Monday `week` to the week of `to_week`, at the
    same local times with the same hosts, car and phone. All or nothing."""
    weeks = (to_week - week).days // 7
    if week.weekday() != 0 or to_week.weekday() != 0 or weeks == 0:
        raise ValidationError(_("Choose another week to copy to."), code="week")
    source = (
        Shift.objects.exclude(state=ShiftState.CANCELLED)
        .filter(
            planned_start__gte=localize(week, datetime.min.time()),
            planned_start__lt=localize(week + timedelta(days=7), datetime.min.time()),
        )
        .select_related("vehicle", "phone_line")
        .prefetch_related("shift_hosts__host")
    )
    copies = []
    for shift in source:
        start = _week_later(shift.planned_start, weeks)
        try:
            copies.append(
                shift_plan(
                    planned_start=start,
                    planned_end=_week_later(shift.planned_end, weeks),
                    hosts=[row.host for row in shift.shift_hosts.all() if not row.cancelled],
                    vehicle=shift.vehicle,
                    phone_line=shift.phone_line,
                    created_by=created_by,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("The shift on {when}: {problem}").format(
                    when=_local(start), problem=" ".join(error.messages)
                ),
                code=getattr(error, "code", None) or "copy",
            ) from error
    if not copies:
        raise ValidationError(_("There are no shifts to copy in that week."), code="empty")
    return copies


def _check_host_on(shift: Shift, user: User) -> None:
    if not shift.shift_hosts.filter(host=user, cancelled=False).exists():
        raise ValidationError(
            _("You are not on this shift: only its hosts can start or end it."), code="not_yours"
        )


def _set_period(shift: Shift, period: DateTimeTZRange) -> None:
    """Keep the booked time of the hosts, the car and the phone in step with the shift as
    worked. Reality wins: if working late runs into a next planned shift of the same host, car or
    phone, that booking keeps its planned time rather than refusing to record what happened."""
    for bookings in (shift.shift_hosts.all(), Shift.objects.filter(pk=shift.pk)):
        try:
            with transaction.atomic():
                bookings.update(period=period)
        except IntegrityError as error:
            if _overlap(error) is None:
                raise


@transaction.atomic
def shift_start(
    *,
    shift: Shift,
    by: User,
    vehicle: Vehicle | None,
    phone_line: PhoneLine | None,
    at: datetime | None = None,
) -> Shift:
    """A host starts their planned shift and confirms the car and the phone they have."""
    at = at or timezone.now()
    shift = _locked(shift)
    _check_host_on(shift, by)
    if shift.state == ShiftState.ACTIVE:
        raise ValidationError(
            _("This shift was already started at {time}.").format(
                time=_local(shift.start, "TIME_FORMAT")
            ),
            code="started",
        )
    if shift.state != ShiftState.PLANNED:
        raise ValidationError(
            _("This shift is {state} and cannot be started.").format(
                state=shift.get_state_display().lower()
            ),
            code="state",
        )
    if at < shift.planned_start - START_EARLY:
        raise ValidationError(
            _("This shift can be started from {time}.").format(
                time=_local(shift.planned_start - START_EARLY)
            ),
            code="too_early",
        )
    if at >= shift.planned_end:
        raise ValidationError(
            _(
                "This shift was planned to end at {time}; ask the security chief for a new one."
            ).format(time=_local(shift.planned_end)),
            code="too_late",
        )
    if Shift.objects.active().for_host(by).exists():
        raise ValidationError(
            _("You have another shift going: end it before starting this one."), code="busy"
        )
    # A car or phone booked on another shift at the planned time is a wrong choice: refused.
    with _refusing_overlaps([], shift.period, shift, vehicle=vehicle, phone_line=phone_line):
        shift.state, shift.actual_start = ShiftState.ACTIVE, at
        shift.vehicle, shift.phone_line = vehicle, phone_line
        shift.save(update_fields=["state", "actual_start", "vehicle", "phone_line"])
    _set_period(shift, DateTimeTZRange(at, max(shift.planned_end, at + timedelta(minutes=1))))
    return shift


def _write_logbook(shift: Shift, odometer: int | None) -> None:
    if shift.vehicle is None or odometer is None:
        return
    Vehicle.objects.select_for_update().get(pk=shift.vehicle.pk)  # one reading at a time per car
    last = last_odometer(shift.vehicle, before=shift)
    if last is not None and odometer < last:
        raise ValidationError(
            {
                "odometer": _(
                    "The odometer cannot be lower than the car's last reading, {last} km. Check "
                    "the number, or ask the security chief if the last one was wrong."
                ).format(last=last)
            },
            code="odometer_lower",
        )
    shift.odometer_start, shift.odometer_end = last, odometer


@transaction.atomic
def shift_end(
    *,
    shift: Shift,
    by: User,
    summary: str,
    odometer: int | None = None,
    at: datetime | None = None,
) -> Shift:
    """A host ends the shift with a short summary and, for a shift with a car, the odometer
    reading for the car's logbook; visits still open end with it."""
    at = at or timezone.now()
    summary = summary.strip()
    shift = _locked(shift)
    _check_host_on(shift, by)
    if shift.state == ShiftState.CLOSED:
        raise ValidationError(
            _("This shift has already ended, at {time}.").format(time=_local(shift.end)),
            code="ended",
        )
    if shift.state != ShiftState.ACTIVE:
        raise ValidationError(
            _("This shift has not been started, so it cannot be ended."), code="state"
        )
    if not summary:
        raise ValidationError(_("Write a short summary of the shift."), code="summary")
    _write_logbook(shift, odometer)
    at = max(at, shift.start + timedelta(seconds=1))
    for visit in shift.visits.open().select_for_update():
        _leave(visit, at)
    shift.state, shift.actual_end, shift.summary = ShiftState.CLOSED, at, summary
    shift.save(update_fields=["state", "actual_end", "summary", "odometer_start", "odometer_end"])
    _set_period(shift, DateTimeTZRange(shift.actual_start, at))
    return shift


# --- Visits


def _check_recording(shift: Shift, by: User, at: datetime) -> None:
    _check_host_on(shift, by)
    if shift.state != ShiftState.ACTIVE:
        raise ValidationError(
            _("Presence is recorded during a started shift; this one is {state}.").format(
                state=shift.get_state_display().lower()
            ),
            code="state",
        )
    shift.check_moment(at)


def _leave(visit: Visit, at: datetime) -> None:
    # The database asks for leaving after arriving; a double tap within the second still counts.
    visit.left_at = max(at, visit.arrived_at + timedelta(seconds=1))
    visit.save(update_fields=["left_at"])


def visit_arrive(
    *,
    shift: Shift,
    area: Area,
    by: User,
    client_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> tuple[Visit, bool]:
    """The car arrives in an area. Retry-safe by `client_key`; arriving where the shift already
    is returns that visit; being somewhere else ends that visit (a car is in one area at a time).
    Returns (visit, created)."""
    at = at or timezone.now()
    already_there: list[Visit] = []

    def create() -> Visit:
        locked = _locked(shift)
        _check_recording(locked, by, at)
        if not area.active:
            raise ValidationError(_("That area is no longer in use."), code="inactive")
        for visit in locked.visits.open().select_for_update():
            if visit.area_id == area.pk:
                already_there.append(visit)
                return visit
            _leave(visit, at)
        return Visit.objects.create(
            shift=locked, area=area, arrived_at=at, recorded_by=by, client_key=client_key
        )

    visit, created = create_once(
        Visit, client_key=client_key, create=create, owner_field="recorded_by", owner=by
    )
    return visit, created and not already_there


def _locked_visit(visit: Visit, by: User) -> Visit:
    visit = Visit.objects.select_for_update().select_related("shift").get(pk=visit.pk)
    _check_host_on(visit.shift, by)
    return visit


@transaction.atomic
def visit_leave(*, visit: Visit, by: User, at: datetime | None = None) -> Visit:
    """The car leaves the area. Leaving again (a resent tap) changes nothing."""
    at = at or timezone.now()
    visit = _locked_visit(visit, by)
    if visit.left_at is None:
        _leave(visit, visit.shift.check_moment(at))
    return visit


@transaction.atomic
def visit_count_dialogue(*, visit: Visit, by: User, client_key: uuid.UUID, delta: int = 1) -> Visit:
    """One more (or, to undo a slip, one fewer) dialogue held during the visit. A tap resent
    with the same key is counted once."""
    visit = _locked_visit(visit, by)
    if visit.shift.state != ShiftState.ACTIVE:
        raise ValidationError(_("Dialogues are counted during the shift."), code="state")
    if visit.dialogue_key != client_key:
        visit.dialogues = max(0, visit.dialogues + (1 if delta > 0 else -1))
        visit.dialogue_key = client_key
        visit.save(update_fields=["dialogues", "dialogue_key"])
    return visit
