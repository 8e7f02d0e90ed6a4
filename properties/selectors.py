"""Reads shared by the pages, the API and the start panels: tonight's round and the figures.

Both start from the querysets in permissions.py, so they show exactly what the user may see.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from patrols.models import Priority
from properties.models import (
    CLOSING_FIELDS,
    ActionTaken,
    ChecklistItem,
    Deviation,
    DeviationState,
    Property,
)
from properties.permissions import checks_for_user, deviations_for_user, properties_for_user
from trygghet.accounts.models import Department, User
from trygghet.core.aggregates import Median
from trygghet.core.exports import Column, Kind
from trygghet.core.follow_up import overdue_cutoff
from trygghet.core.time import OperationalNight, night_bounds, operational_night

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine); plenty for ordering a night's round."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _with_open_deviations(properties: QuerySet[Property]) -> QuerySet[Property]:
    """Each building's count of unresolved deviations, as a subquery so that it can sit beside
    aggregates over the checks."""
    unresolved = (
        Deviation.objects.unresolved()
        .filter(property=OuterRef("pk"))
        .values("property")
        .annotate(n=Count("id"))
        .values("n")
    )
    return properties.annotate(
        open_deviations=Coalesce(Subquery(unresolved, output_field=IntegerField()), 0)
    )


def register(
    *, user: User, search: str = "", department: Department | None = None
) -> QuerySet[Property]:
    """The register list: each building with its last check and unresolved deviations."""
    properties = properties_for_user(user).annotate(last_checked_at=Max("checks__checked_at"))
    if search:
        properties = properties.filter(Q(name__icontains=search) | Q(address__icontains=search))
    if department is not None:
        properties = properties.filter(department=department)
    return _with_open_deviations(properties).order_by("-active", "name")


class Tonight(TypedDict):
    """What tonights_round adds to each building."""

    checks_tonight: int
    last_checked_at: datetime | None
    open_deviations: int


@dataclass(frozen=True)
class RoundStop:
    property: Property
    closes: time | None
    due_from: datetime
    checks_tonight: int
    last_checked_at: datetime | None
    open_deviations: int
    distance_m: float | None

    # The field above is named property, which hides the builtin here for the type checker.
    @builtins.property
    def is_due(self) -> bool:
        return self.checks_tonight == 0


@dataclass(frozen=True)
class Round:
    night: date
    due: list[RoundStop]
    later: list[RoundStop]
    checked: list[RoundStop]


def tonights_round(
    *, user: User, now: datetime | None = None, lat: float | None = None, lon: float | None = None
) -> Round:
    """The buildings of the operational night: due (closed and not yet checked this night) in
    order of priority, then distance from the given position, then closing time; later (not
    closed yet); and checked (at least once this night, latest first). One query."""
    now = now or timezone.now()
    night = operational_night(now)
    start, end = night_bounds(night)
    tonight = Q(checks__checked_at__gte=start, checks__checked_at__lt=end)
    # A host may not list deviations, but should know that a door was already found broken.
    properties = _with_open_deviations(
        properties_for_user(user)
        .active()
        .annotate(
            checks_tonight=Count("checks", filter=tonight),
            last_checked_at=Max("checks__checked_at", filter=tonight),
        )
    )
    due, later, checked = [], [], []
    # The type checker cannot follow the annotations through _with_open_deviations.
    for building in cast("Iterable[WithAnnotations[Property, Tonight]]", properties):
        stop = RoundStop(
            property=building,
            closes=building.closes_on(night),
            due_from=building.due_from(night),
            checks_tonight=building.checks_tonight,
            last_checked_at=building.last_checked_at,
            open_deviations=building.open_deviations,
            distance_m=(
                distance_m(lat, lon, float(building.latitude), float(building.longitude))
                if lat is not None and lon is not None
                else None
            ),
        )
        if stop.checks_tonight:
            checked.append(stop)
        elif stop.due_from <= now:
            due.append(stop)
        else:
            later.append(stop)
    due.sort(key=lambda s: (s.property.priority, s.distance_m or 0, s.due_from, s.property.name))
    later.sort(key=lambda s: (s.due_from, s.property.priority, s.property.name))
    # A checked stop always has its time; the fallback is for the type only.
    checked.sort(key=lambda s: s.last_checked_at or start, reverse=True)
    return Round(night=night, due=due, later=later, checked=checked)


@dataclass(frozen=True)
class Figures:
    first_night: date
    last_night: date
    nights: Sequence[Mapping[str, object]]
    totals: dict
    per_property: QuerySet[Property]
    per_department: Sequence[Mapping[str, object]]
    median_to_resolve: timedelta | None


def _share(deviations, checks):
    """Deviations as a share of checks (0–1), in SQL; None when there were no checks."""
    return Cast(deviations, FloatField()) / NullIf(Cast(checks, FloatField()), 0.0)


def property_figures(*, user: User, first_night: date, last_night: date) -> Figures:
    """The chief's figures for a period of operational nights, every number computed by
    PostgreSQL over the user's scope: checks per night and per property, the share with
    deviations, open and overdue deviations per department, and the median time from found to
    resolved (of the deviations found in the period)."""
    start, end = night_bounds(first_night)[0], night_bounds(last_night)[1]
    checks = checks_for_user(user).filter(checked_at__gte=start, checked_at__lt=end)
    deviation = Q(ok=False)

    per_night = {
        row["night"]: row
        for row in checks.annotate(night=OperationalNight("checked_at"))
        .values("night")
        .annotate(checks=Count("id"), deviations=Count("id", filter=deviation))
        .order_by("night")
    }
    days = (last_night - first_night).days + 1
    nights = [
        per_night.get(night, {"night": night, "checks": 0, "deviations": 0})
        for night in (first_night + timedelta(days=n) for n in range(days))
    ]

    totals = checks.aggregate(checks=Count("id"), deviations=Count("id", filter=deviation))
    totals["share"] = totals["deviations"] / totals["checks"] if totals["checks"] else None

    in_period = Q(checks__checked_at__gte=start, checks__checked_at__lt=end)
    per_property = (
        properties_for_user(user)
        .annotate(
            check_count=Count("checks", filter=in_period),
            deviation_count=Count("checks", filter=in_period & Q(checks__ok=False)),
        )
        .annotate(share=_share(F("deviation_count"), F("check_count")))
        .order_by("-deviation_count", "-check_count", "name")
    )

    deviations = deviations_for_user(user)
    found_in_period = Q(found_at__gte=start, found_at__lt=end)
    resolved_in_period = found_in_period & Q(state=DeviationState.RESOLVED)
    to_resolve = F("resolved_at") - F("found_at")
    per_department = list(
        deviations.values(department=F("property__department__name"))
        .annotate(
            found=Count("id", filter=found_in_period),
            open=Count("id", filter=~Q(state=DeviationState.RESOLVED)),
            overdue=Count(
                "id",
                filter=~Q(state=DeviationState.RESOLVED) & Q(found_at__lt=overdue_cutoff()),
            ),
            median_to_resolve=Median(to_resolve, filter=resolved_in_period),
        )
        .order_by("department")
    )
    median = deviations.aggregate(median=Median(to_resolve, filter=resolved_in_period))["median"]
    return Figures(
        first_night=first_night,
        last_night=last_night,
        nights=nights,
        totals=totals,
        per_property=per_property,
        per_department=per_department,
        median_to_resolve=median,
    )


def deviation_summary(user: User) -> dict:
    """Counts for the follow-up panel, and the oldest unresolved deviations first."""
    deviations = deviations_for_user(user)
    counts = deviations.aggregate(
        open=Count("id", filter=Q(state=DeviationState.OPEN)),
        acknowledged=Count("id", filter=Q(state=DeviationState.ACKNOWLEDGED)),
        overdue=Count(
            "id", filter=~Q(state=DeviationState.RESOLVED) & Q(found_at__lt=overdue_cutoff())
        ),
    )
    oldest = list(deviations.unresolved().order_by("found_at", "id")[:5])
    return {**counts, "oldest": oldest}


def _building_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Property id"), "property", Kind.INTEGER),
        Column(gettext_lazy("Property"), "property__name"),
        Column(gettext_lazy("Department"), "property__department__name", key="department_name"),
    ]


def _position_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Latitude"), "property__latitude", Kind.DECIMAL, key="latitude"),
        Column(gettext_lazy("Longitude"), "property__longitude", Kind.DECIMAL, key="longitude"),
    ]


def property_columns(*, contact: bool) -> list[Column]:
    """The register as CSV; like the JSON list, never the access notes, and the contact address
    only for those who see it on the page (`contact`)."""
    contact_columns = [Column(gettext_lazy("Contact e-mail"), "contact_email")]
    return [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Address"), "address"),
        Column(gettext_lazy("Latitude"), "latitude", Kind.DECIMAL),
        Column(gettext_lazy("Longitude"), "longitude", Kind.DECIMAL),
        Column(gettext_lazy("Department id"), "department", Kind.INTEGER),
        Column(gettext_lazy("Department"), "department__name"),
        Column(
            gettext_lazy("Priority"),
            "priority",
            Kind.CHOICE,
            Priority.choices,
        ),
        *(
            Column(capfirst(cast(Field, Property._meta.get_field(name)).verbose_name), name)
            for name in CLOSING_FIELDS
        ),
        Column(gettext_lazy("Closed dates"), "closed_dates", Kind.LIST),
        Column(gettext_lazy("Checklist"), "checklist", Kind.LIST, ChecklistItem.choices),
        *(contact_columns if contact else []),
        Column(gettext_lazy("In use"), "active", Kind.BOOLEAN),
        Column(gettext_lazy("Updated"), "updated_at", Kind.DATETIME),
    ]


def check_columns(*, personal: bool) -> list[Column]:
    """Checks as CSV and GeoJSON (at the building). Who checked only with personal data."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        *_building_columns(),
        Column(gettext_lazy("Checked at"), "checked_at", Kind.DATETIME),
        Column(gettext_lazy("All in order"), "ok", Kind.BOOLEAN),
        Column(
            gettext_lazy("Not in order"),
            "deviation__items",
            Kind.LIST,
            ChecklistItem.choices,
            key="not_in_order",
        ),
        Column(gettext_lazy("Deviation"), "deviation__id", Kind.INTEGER, key="deviation"),
        Column(gettext_lazy("Shift"), "shift", Kind.INTEGER),
        *_position_columns(),
    ]
    if personal:
        columns.append(Column(gettext_lazy("Checked by"), "checked_by__username", key="checked_by"))
    return columns


def deviation_columns(*, personal: bool) -> list[Column]:
    """Deviations as CSV and GeoJSON (at the building). The free text only with personal data."""
    overdue = ExpressionWrapper(
        ~Q(state=DeviationState.RESOLVED) & Q(found_at__lt=overdue_cutoff()),
        output_field=BooleanField(),
    )
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        *_building_columns(),
        Column(gettext_lazy("Check"), "property_check", Kind.INTEGER, key="check"),
        Column(gettext_lazy("Found at"), "found_at", Kind.DATETIME),
        Column(gettext_lazy("Not in order"), "items", Kind.LIST, ChecklistItem.choices),
        Column(gettext_lazy("What the host did"), "actions", Kind.LIST, ActionTaken.choices),
        Column(gettext_lazy("State"), "state", Kind.CHOICE, DeviationState.choices),
        Column(gettext_lazy("Overdue"), overdue, Kind.BOOLEAN, key="overdue"),
        Column(gettext_lazy("Resolved at"), "resolved_at", Kind.DATETIME),
        *_position_columns(),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("What was found"), "description"),
            Column(gettext_lazy("Note on what was done"), "action_note"),
        ]
    return columns
