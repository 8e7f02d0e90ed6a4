"""Reads of the patrols app that pages, panels and the API share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, F, Func, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy

from patrols.models import (
    Area,
    AreaKind,
    AreaVersion,
    Assignment,
    Priority,
    Shift,
    ShiftHost,
    ShiftQuerySet,
    ShiftState,
    Vehicle,
    Visit,
    Weekday,
)
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability
from trygghet.core.exports import Column, Kind, minutes_column
from trygghet.core.time import (
    localize,
    night_bounds,
    night_sql,
    night_start_sql,
    operational_night,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIDNIGHT = datetime.min.time()


def active_shift_for(user: User) -> Shift | None:
    """The shift the host is working now, if any (a host has at most one: shifts never overlap)."""
    return (
        Shift.objects.active()
        .for_host(user)
        .select_related("vehicle", "phone_line")
        .order_by("-actual_start")
        .first()
    )


def last_odometer(vehicle: Vehicle, *, before: Shift | None = None) -> int | None:
    """The car's last reading in the logbook: the highest written, as an odometer only counts
    up (a reading entered late for an earlier shift does not lower it)."""
    readings = Shift.objects.filter(vehicle=vehicle, odometer_end__isnull=False)
    if before is not None:
        readings = readings.exclude(pk=before.pk)
    return readings.aggregate(last=Max("odometer_end"))["last"]


# Driven on a shift, by the car's logbook (empty without both readings).
KILOMETRES = F("odometer_end") - F("odometer_start")


@dataclass(frozen=True)
class NightKilometres:
    night: date
    shifts: int
    kilometres: int


def kilometres_by_night(first: date, last: date) -> list[NightKilometres]:
    """Kilometres driven per operational night (a shift counts on the night it started), from
    the shifts whose logbook has both readings."""
    start, _ = night_bounds(first)
    _, end = night_bounds(last)
    night = RawSQL(night_sql("actual_start AT TIME ZONE %s"), [settings.TIME_ZONE])
    rows = (
        Shift.objects.filter(
            actual_start__gte=start,
            actual_start__lt=end,
            odometer_start__isnull=False,
            odometer_end__isnull=False,
        )
        .annotate(night=night)
        .values("night")
        .annotate(shifts=Count("id"), driven=Sum(KILOMETRES))
        .order_by("night")
    )
    return [NightKilometres(row["night"], row["shifts"], row["driven"]) for row in rows]


def areas_as_on(areas: QuerySet[Area], day: date) -> QuerySet[Area]:
    """The areas that had a boundary at the end of the local day, each with the boundary it had
    then in place of today's, in the same one query (a subquery per row, not a query)."""
    end = localize(day + timedelta(days=1), MIDNIGHT)
    then = AreaVersion.objects.filter(area=OuterRef("pk"), created_at__lt=end).order_by("-number")
    return areas.annotate(boundary_then=Subquery(then.values("boundary")[:1])).filter(
        boundary_then__isnull=False
    )


def hosts_to_plan() -> QuerySet[User]:
    """The active users who work shifts, by their role's capability."""
    return User.objects.with_perm(
        Capability.WORK_SHIFTS.value,
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    ).order_by("first_name", "last_name", "username")


def with_hosts(shifts: ShiftQuerySet) -> ShiftQuerySet:
    """Shifts with their car, phone and hosts loaded: the hosts come through ShiftHost so that a
    cancelled shift still shows who was planned, in one extra query for the whole list."""
    return shifts.select_related("vehicle", "phone_line").prefetch_related(
        Prefetch(
            "shift_hosts",
            queryset=ShiftHost.objects.select_related("host").order_by("host__first_name", "id"),
        )
    )


def shift_for_host_now(user: User, now: datetime) -> Shift | None:
    """The shift a host's start page is about: the one being worked, else the next planned one
    that has not ended yet."""
    shifts = with_hosts(Shift.objects.for_host(user))
    return (
        shifts.active().order_by("-actual_start").first()
        or shifts.filter(state=ShiftState.PLANNED, planned_end__gt=now)
        .order_by("planned_start")
        .first()
    )


def shifts_in_week(monday: date) -> QuerySet[Shift]:
    """The shifts starting in the local week (Monday 00:00 to Monday 00:00)."""
    return with_hosts(
        Shift.objects.filter(
            planned_start__gte=localize(monday, MIDNIGHT),
            planned_start__lt=localize(monday + timedelta(days=7), MIDNIGHT),
        )
    ).order_by("planned_start", "id")


def visit_columns(*, personal: bool) -> list[Column]:
    """Visits as CSV. The note and who recorded it only for those who see personal data."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Shift"), "shift", Kind.INTEGER),
        Column(gettext_lazy("Area id"), "area", Kind.INTEGER),
        Column(gettext_lazy("Area"), "area__name"),
        Column(gettext_lazy("Arrived"), "arrived_at", Kind.DATETIME),
        Column(gettext_lazy("Left"), "left_at", Kind.DATETIME),
        minutes_column(gettext_lazy("Minutes"), "arrived_at", "left_at", key="minutes"),
        Column(gettext_lazy("Dialogues"), "dialogues", Kind.INTEGER),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("Note"), "note"),
            Column(gettext_lazy("Recorded by"), "recorded_by__username", key="recorded_by"),
        ]
    return columns


def area_columns(*, personal: bool) -> list[Column]:
    """Areas as CSV, the boundary as its GeoJSON text; the notes on why an area matters, which
    may name people, only with personal data (as in the JSON list)."""
    notes = [Column(gettext_lazy("Notes"), "notes")]
    return [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Kind"), "kind", Kind.CHOICE, AreaKind.choices),
        Column(gettext_lazy("Boundary"), "boundary"),
        *(notes if personal else []),
        Column(gettext_lazy("In use"), "active", Kind.BOOLEAN),
        Column(gettext_lazy("Created"), "created_at", Kind.DATETIME),
        Column(gettext_lazy("Updated"), "updated_at", Kind.DATETIME),
    ]


def assignment_columns(*, personal: bool) -> list[Column]:
    """Assignments as CSV; the reason, the consultation note and who made it only with personal
    data (as in the JSON list)."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Area id"), "area", Kind.INTEGER),
        Column(gettext_lazy("Area"), "area__name"),
        Column(gettext_lazy("Priority"), "priority", Kind.CHOICE, Priority.choices),
        Column(gettext_lazy("Valid from"), "valid_from"),
        Column(gettext_lazy("Valid to"), "valid_to"),
        Column(gettext_lazy("Weekdays"), "weekdays", Kind.LIST, Weekday.choices),
        Column(gettext_lazy("Start time"), "start_time"),
        Column(gettext_lazy("End time"), "end_time"),
        Column(gettext_lazy("Consulted with"), "consulted_with"),
        Column(gettext_lazy("Consulted on"), "consulted_on"),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("Reason"), "reason"),
            Column(gettext_lazy("Consultation note"), "consultation_note"),
            Column(gettext_lazy("Created by"), "created_by__username", key="created_by"),
        ]
    return columns


def shift_columns(*, personal: bool) -> list[Column]:
    """Shifts as CSV: partners see how many hosts, those with personal data who."""
    hosts = ShiftHost.objects.filter(shift=OuterRef("pk")).order_by("host__username")
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Planned start"), "planned_start", Kind.DATETIME),
        Column(gettext_lazy("Planned end"), "planned_end", Kind.DATETIME),
        Column(gettext_lazy("Started"), "actual_start", Kind.DATETIME),
        Column(gettext_lazy("Ended"), "actual_end", Kind.DATETIME),
        Column(gettext_lazy("State"), "state", Kind.CHOICE, ShiftState.choices),
        Column(gettext_lazy("Vehicle"), "vehicle__registration", key="vehicle"),
        Column(gettext_lazy("Phone line"), "phone_line__number", key="phone_line"),
        Column(
            gettext_lazy("Hosts"),
            Func(ArraySubquery(hosts.values("host_id")), function="cardinality"),
            Kind.INTEGER,
            key="host_count",
        ),
        Column(gettext_lazy("Odometer at start"), "odometer_start", Kind.INTEGER),
        Column(gettext_lazy("Odometer at end"), "odometer_end", Kind.INTEGER),
        Column(gettext_lazy("Kilometres"), KILOMETRES, Kind.INTEGER, key="kilometres"),
    ]
    if personal:
        columns += [
            Column(
                gettext_lazy("Host names"),
                ArraySubquery(hosts.values("host__username")),
                Kind.LIST,
                key="hosts",
            ),
            Column(gettext_lazy("Summary"), "summary"),
            Column(gettext_lazy("Created"), "created_at", Kind.DATETIME),
        ]
    return columns


# --- What looks forgotten


def long_visits(now: datetime, shifts: QuerySet[Shift] | None = None) -> QuerySet[Visit]:
    """Visits of shifts going on, open longer than PATROLS_LONG_VISIT_HOURS: most likely a
    "Left" never tapped. Computed each time, never stored, so ending the visit clears it."""
    limit = now - timedelta(hours=settings.PATROLS_LONG_VISIT_HOURS)
    visits = Visit.objects.open().filter(arrived_at__lt=limit, shift__state=ShiftState.ACTIVE)
    if shifts is not None:
        visits = visits.filter(shift__in=shifts)
    return visits.select_related("area", "shift").order_by("arrived_at", "id")


def overrunning_shifts(now: datetime) -> QuerySet[Shift]:
    """Shifts still going PATROLS_OVERRUN_HOURS after their planned end."""
    limit = now - timedelta(hours=settings.PATROLS_OVERRUN_HOURS)
    return with_hosts(Shift.objects.active().filter(planned_end__lt=limit)).order_by(
        "planned_end", "id"
    )


# --- Tonight's areas


@dataclass
class AreaTonight:
    """An area assigned on a night: its most urgent priority and each window with its reason."""

    area: Area
    priority: int
    windows: list[tuple[datetime, datetime, Assignment]] = field(default_factory=list)
    # An assignment here names the car asking (its crew's own areas come first on its phone).
    for_car: bool = False

    def is_open(self, moment: datetime) -> bool:
        return any(start <= moment < end for start, end, _assignment in self.windows)

    @property
    def priority_label(self) -> StrOrPromise:
        return Priority(self.priority).label

    @property
    def first_start(self) -> datetime:
        return min(start for start, _end, _assignment in self.windows)

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(assignment.reason for _s, _e, assignment in self.windows))


def windows_on_night(assignment: Assignment, night: date) -> Iterable[tuple[datetime, datetime]]:
    """The openings of an assignment that fall in an operational night. Each opening belongs to
    the day it starts on (its weekday and validity are that day's), so "Friday 21:00–02:00" is
    Friday's night and still open at 01:30 on Saturday."""
    night_start, night_end = night_bounds(night)
    for day in (night - timedelta(days=1), night, night + timedelta(days=1)):
        if day.weekday() not in assignment.weekdays:
            continue
        if day < assignment.valid_from or (assignment.valid_to and day > assignment.valid_to):
            continue
        start, end = assignment.window.on(day)
        if start < night_end and end > night_start:
            yield start, end


def areas_on_night(night: date, vehicle: Vehicle | None = None) -> list[AreaTonight]:
    """Active areas assigned on the night, most urgent first, then by when their window opens.
    Given a car, the areas with an assignment naming that car come before all others."""
    assignments = (
        Assignment.objects.filter(area__active=True)
        .valid_on_any(night - timedelta(days=1), night + timedelta(days=1))
        .select_related("area")
        .order_by("priority", "id")
    )
    by_area: dict[int, AreaTonight] = {}
    for assignment in assignments:
        for start, end in windows_on_night(assignment, night):
            entry = by_area.setdefault(
                assignment.area_id, AreaTonight(assignment.area, assignment.priority)
            )
            entry.priority = min(entry.priority, assignment.priority)
            entry.for_car |= vehicle is not None and assignment.vehicle_id == vehicle.pk
            entry.windows.append((start, end, assignment))
    for entry in by_area.values():
        entry.windows.sort(key=lambda window: window[0])
    return sorted(
        by_area.values(),
        key=lambda entry: (not entry.for_car, entry.priority, entry.first_start, entry.area.name),
    )


def areas_tonight(now: datetime | None = None) -> list[AreaTonight]:
    return areas_on_night(operational_night(now or timezone.now()))


def open_visits_by_area(shift: Shift | None) -> dict[int, Visit]:
    if shift is None:
        return {}
    return {visit.area_id: visit for visit in shift.visits.open()}


# --- Planned versus actual presence


@dataclass(frozen=True)
class PresenceRow:
    """Minutes assigned and present for one area on one operational night, with the area's
    totals for the whole period and the totals over all areas."""

    area_id: int
    area_name: str
    night: date
    planned_minutes: int
    present_minutes: int
    covered_minutes: int  # present while an assignment's window was open
    visits: int
    dialogues: int
    area_planned_minutes: int
    area_present_minutes: int
    area_covered_minutes: int
    area_nights_assigned: int
    area_nights_missed: int
    all_planned_minutes: int
    all_covered_minutes: int
    all_nights_missed: int
    all_present_minutes: int

    @property
    def missed(self) -> bool:
        """Assigned but not visited at all."""
        return self.planned_minutes > 0 and self.present_minutes == 0

    @property
    def coverage(self) -> int | None:
        return _percent(self.covered_minutes, self.planned_minutes)

    @property
    def area_coverage(self) -> int | None:
        return _percent(self.area_covered_minutes, self.area_planned_minutes)

    @property
    def all_coverage(self) -> int | None:
        return _percent(self.all_covered_minutes, self.all_planned_minutes)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _local_moment(timestamp_sql: str) -> str:
    """SQL turning a local wall-clock timestamp into a moment the way trygghet.core.time does.

    PostgreSQL reads an ambiguous time (02:30 on the autumn night, which happens twice) as the
    later one; zoneinfo and our Python take the earlier. The earlier is also what an hour before,
    read and moved forward an hour, gives; the least of the two is zoneinfo's answer for every
    time, the spring gap included (Stockholm's clock changes are one hour)."""
    return (
        f"least(({timestamp_sql}) AT TIME ZONE %(tz)s, "
        f"(({timestamp_sql}) - interval '1 hour') AT TIME ZONE %(tz)s + interval '1 hour')"
    )


def _nights_touched(range_sql: str) -> str:
    """SQL listing the operational nights a range of moments touches. A night is named by the
    local date of its start, so the nights run from the first moment's to the last one's;
    joining on that date is much cheaper than testing every range against every night."""

    def night_of(moment: str) -> str:
        return night_sql(f"({moment}) AT TIME ZONE %(tz)s")

    first = night_of(f"lower({range_sql})")
    last = night_of(f"upper({range_sql}) - interval '1 microsecond'")
    return f"generate_series({first}, {last}, interval '1 day')"


def _minutes(multirange_sql: str) -> str:
    return (
        "coalesce(round(extract(epoch FROM (SELECT sum(upper(r) - lower(r)) "
        f"FROM unnest({multirange_sql}) AS r)) / 60), 0)::int"
    )


def presence_sql() -> str:
    """The presence query, built when it is run: the nights' bounds follow the setting."""
    return f"""
WITH nights AS (
    SELECT n::date AS night,
           tstzrange({_local_moment(night_start_sql("n::date"))},
                     {_local_moment(night_start_sql("n::date + 1"))}) AS span
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS n
),
windows AS MATERIALIZED (
    -- Each assignment's opening on each day it starts; the end is the next day when the window
    -- crosses midnight.
    SELECT a.area_id,
           tstzrange({_local_moment("d::date + a.start_time")},
                     {_local_moment("d::date + (a.end_time <= a.start_time)::int + a.end_time")})
               AS span
    FROM patrols_assignment AS a
    CROSS JOIN generate_series(%(first)s::date - 1, %(last)s::date + 1, interval '1 day') AS d
    WHERE (extract(isodow FROM d) - 1)::smallint = ANY (a.weekdays)
      AND a.valid_from <= d::date AND (a.valid_to IS NULL OR a.valid_to >= d::date)
      AND (%(areas)s::bigint[] IS NULL OR a.area_id = ANY (%(areas)s::bigint[]))
),
visits AS MATERIALIZED (
    -- A visit still open lasts until its shift ended, or until now while the shift goes on.
    SELECT v.area_id, v.arrived_at, v.dialogues,
           tstzrange(v.arrived_at,
                     greatest(v.arrived_at, coalesce(v.left_at, s.actual_end, %(now)s))) AS span
    FROM patrols_visit AS v
    JOIN patrols_shift AS s ON s.id = v.shift_id
    WHERE v.arrived_at < (SELECT max(upper(span)) FROM nights)
      AND coalesce(v.left_at, s.actual_end, %(now)s) > (SELECT min(lower(span)) FROM nights)
      AND (%(areas)s::bigint[] IS NULL OR v.area_id = ANY (%(areas)s::bigint[]))
),
planned AS (
    -- range_agg merges overlapping windows, so two assignments at once count once.
    SELECT w.area_id, n.night, range_agg(w.span * n.span) AS spans
    FROM windows AS w
    CROSS JOIN LATERAL {_nights_touched("w.span")} AS touched
    JOIN nights AS n ON n.night = touched::date
    GROUP BY w.area_id, n.night
),
present AS (
    SELECT v.area_id, n.night, range_agg(v.span * n.span) AS spans,
           count(*) FILTER (WHERE n.span @> v.arrived_at) AS visits,
           coalesce(sum(v.dialogues) FILTER (WHERE n.span @> v.arrived_at), 0) AS dialogues
    FROM visits AS v
    CROSS JOIN LATERAL {_nights_touched("v.span")} AS touched
    JOIN nights AS n ON n.night = touched::date
    GROUP BY v.area_id, n.night
),
figures AS (
    SELECT coalesce(p.area_id, a.area_id) AS area_id,
           coalesce(p.night, a.night) AS night,
           {_minutes("p.spans")} AS planned,
           {_minutes("a.spans")} AS present,
           {_minutes("p.spans * a.spans")} AS covered,
           coalesce(a.visits, 0)::int AS visits,
           coalesce(a.dialogues, 0)::int AS dialogues
    FROM planned AS p
    FULL JOIN present AS a ON a.area_id = p.area_id AND a.night = p.night
)
SELECT f.area_id, area.name, f.night, f.planned, f.present, f.covered, f.visits, f.dialogues,
       sum(f.planned) OVER by_area, sum(f.present) OVER by_area, sum(f.covered) OVER by_area,
       count(*) FILTER (WHERE f.planned > 0) OVER by_area,
       count(*) FILTER (WHERE f.planned > 0 AND f.present = 0) OVER by_area,
       sum(f.planned) OVER (), sum(f.covered) OVER (),
       count(*) FILTER (WHERE f.planned > 0 AND f.present = 0) OVER (),
       sum(f.present) OVER ()
FROM figures AS f
JOIN patrols_area AS area ON area.id = f.area_id
WINDOW by_area AS (PARTITION BY f.area_id)
ORDER BY area.name, f.area_id, f.night
"""


def presence(
    *,
    first_night: date,
    last_night: date,
    area_ids: list[int] | None = None,
    now: datetime | None = None,
) -> list[PresenceRow]:
    """Planned versus actual presence per area and operational night, in one query.

    Planned minutes come from the assignments' windows on the nights they apply (local time,
    so the autumn night's 21:00–03:00 is seven hours); present minutes from the visits, cut at
    the night's noon-to-noon bounds. Only area-nights with either appear."""
    with connection.cursor() as cursor:
        cursor.execute(
            presence_sql(),
            {
                "first": first_night,
                "last": last_night,
                "areas": area_ids or None,
                "now": now or timezone.now(),
                "tz": settings.TIME_ZONE,
            },
        )
        return [PresenceRow(*row) for row in cursor.fetchall()]
