"""The lägesbild: every figure of the dashboard, its printable report and the start panel,
computed by PostgreSQL in a fixed number of queries whatever the number of rows.

Each figure comes from the querysets the lists use for the same user (the role's scope), is
counted in the period shown, the period before and the same period last year in one query (see
trygghet.core.aggregates.compare_periods), and carries its changes, so the page can point at
what grows: the lägesbild is about change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from incidents.models import CallOutcome, Category, CategoryGroup, Service
from incidents.permissions import (
    escalations_for_user,
    incidents_for_user,
    night_button_calls_for_user,
)
from patrols.geo import area_feature
from patrols.models import Area, Priority
from patrols.permissions import areas_for_user
from patrols.selectors import presence
from properties.models import DeviationState, overdue_cutoff
from properties.permissions import deviations_for_user
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can
from trygghet.core.aggregates import Bucket, compare_periods
from trygghet.core.geojson import feature_collection
from trygghet.core.periods import Nights, Period, night_label
from trygghet.dispatch.permissions import requests_for_user
from trygghet.dispatch.selectors import with_times

CURRENT, PREVIOUS, LAST_YEAR = 0, 1, 2
# Weekday rows Monday to Sunday night, hour columns from noon to noon: a night reads left to right.
HOURS = [*range(12, 24), *range(0, 12)]
HEAT_LEVELS = 5
CANDIDATES, CANDIDATE_LEAST = 3, 5


@dataclass(frozen=True)
class Change:
    """A figure against the one it is compared with. Notable when it moved by at least a fifth
    and by `least` (three incidents, say), so that two becoming three is not an alarm."""

    now: float | None
    before: float | None
    worse_when_higher: bool = True
    least: float = 3

    @property
    def percent(self) -> int | None:
        if self.now is None or not self.before:
            return None
        return round(100 * (self.now - self.before) / self.before)

    @property
    def notable(self) -> bool:
        if self.now is None or self.before is None:
            return False
        delta = self.now - self.before
        return abs(delta) >= self.least and (
            not self.before or abs(delta) >= 0.2 * abs(self.before)
        )

    @property
    def _in_percent(self) -> bool:
        return self.percent is not None and self.before >= 10

    @property
    def _shown(self) -> int | None:
        """The change as the text shows it, rounded: what the arrow must agree with."""
        if self.now is None or self.before is None:
            return None
        return self.percent if self._in_percent else round(self.now - self.before)

    @property
    def direction(self) -> str:
        if not self._shown:
            return "same"
        return "up" if self._shown > 0 else "down"

    @property
    def text(self) -> str:
        """+12 %, or +15 when there were fewer than ten before (2 to 17 is not "+750 %")."""
        if self._shown is None:
            return "–"
        return f"{_signed(self._shown)} %" if self._in_percent else _signed(self._shown)

    @property
    def tone(self) -> str:
        """A notable change the wrong way is "bad", the right way "good"; else empty."""
        if not self.notable:
            return ""
        return "bad" if (self.direction == "up") == self.worse_when_higher else "good"


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "±0"


@dataclass(frozen=True)
class Figure:
    """One number of the period with its two comparisons."""

    now: float | None
    previous: float | None
    last_year: float | None
    worse_when_higher: bool = True
    least: float = 3

    @property
    def vs_previous(self) -> Change:
        return Change(self.now, self.previous, self.worse_when_higher, self.least)

    @property
    def vs_last_year(self) -> Change:
        return Change(self.now, self.last_year, self.worse_when_higher, self.least)

    @property
    def tone(self) -> str:
        tones = {self.vs_previous.tone, self.vs_last_year.tone}
        return "bad" if "bad" in tones else "good" if "good" in tones else ""


def _figure(by_period: dict[int, float | None], **options) -> Figure:
    return Figure(
        by_period.get(CURRENT, 0),
        by_period.get(PREVIOUS, 0),
        by_period.get(LAST_YEAR, 0),
        **options,
    )


@dataclass(frozen=True)
class Filters:
    area: Area | None = None
    group: str = ""

    @property
    def group_label(self) -> str:
        return str(CategoryGroup(self.group).label) if self.group else ""

    def as_query(self) -> dict:
        """The filters as the query string of the dashboard and of the incident list."""
        query = {"area": self.area.pk if self.area else None, "group": self.group or None}
        return {name: value for name, value in query.items() if value is not None}

    def q(self, path: str = "") -> Q:
        """The filters on incidents, or on rows reached from them through `path`."""
        q = Q()
        if self.area is not None:
            q &= Q(**{f"{path}area": self.area})
        if self.group:
            q &= Q(**{f"{path}category__group": self.group})
        return q


# --- Incidents: one query for the totals, the category × area table, the trend, the weekday ×
# hour table and the map.

INCIDENT_SETS = {
    "total": (),
    "cell": ("category", "area"),
    "category": ("category",),
    "area": ("area",),
    "trend": ("step",),
    "heat": ("weekday", "hour"),
    "map": ("cell_lat", "cell_lon"),
}
# Map cells of a thousandth of a degree: about 110 m north–south and 55 m east–west here, close
# enough to see where, too coarse to point at a door.
CELL = 1000


def _incident_rows(incidents: QuerySet, periods: list[Nights], step: int) -> list[dict]:
    return compare_periods(
        incidents,
        moment="occurred_at",
        periods=periods,
        fields={
            "area_key": "area",
            "category_key": "category",
            "lat": "latitude",
            "lon": "longitude",
        },
        dimensions={
            "category": "category_key",
            "area": "area_key",
            "step": f"(night - first_night) / {int(step)}",
            "weekday": "extract(isodow FROM night)::int",
            "hour": "extract(hour FROM local)::int",
            # Positions only for the period shown, the only one on the map.
            "cell_lat": f"CASE WHEN period = 0 THEN round(lat * {CELL})::int END",
            "cell_lon": f"CASE WHEN period = 0 THEN round(lon * {CELL})::int END",
        },
        grouping_sets=list(INCIDENT_SETS.values()),
        aggregates={
            "count": "count(*)",
            "mean_lat": "avg(lat::float8)",
            "mean_lon": "avg(lon::float8)",
        },
    )


@dataclass
class Cell:
    figure: Figure
    level: int = 0


@dataclass
class MatrixRow:
    category: Category
    cells: list[Cell]
    total: Figure


@dataclass
class Matrix:
    """Incidents by category (rows) and area (columns), with totals both ways."""

    areas: list[Area | None]
    rows: list[MatrixRow]
    area_totals: list[Figure]
    total: Figure


@dataclass(frozen=True)
class Growth:
    category: Category
    area: Area | None
    figure: Figure


@dataclass
class Lagesbild:
    period: Period
    filters: Filters
    incidents: Figure
    matrix: Matrix
    growing: list[Growth]
    trend: dict
    heat: list[dict]
    map_data: dict
    escalations: Figure
    median_to_arrival: Figure
    services: list[dict]
    night_button: Figure
    night_button_escalated: int
    night_button_outside_hours: int
    dispatches: dict
    presence: list[dict] = field(default_factory=list)
    present_hours: Figure | None = None
    planned_hours: int = 0
    coverage: int | None = None
    deviations: dict | None = None


def _index(rows: list[dict], name: str, *keys: str) -> dict:
    """The rows of one grouping set by period and keys."""
    wanted = list(INCIDENT_SETS).index(name)
    return {
        (row["period"], *(row[key] for key in keys)): row["count"]
        for row in rows
        if row["set"] == wanted
    }


def _by_period(counts: dict, *keys) -> dict[int, int]:
    return {period: counts.get((period, *keys), 0) for period in (CURRENT, PREVIOUS, LAST_YEAR)}


def _matrix(rows, categories: list[Category], areas: dict[int, Area]) -> Matrix:
    cells = _index(rows, "cell", "category", "area")
    by_category = _index(rows, "category", "category")
    by_area = _index(rows, "area", "area")
    totals = _index(rows, "total")
    shown_areas = sorted(
        {key[2] for key in cells if key[0] == CURRENT},
        key=lambda pk: (pk is None, -by_area.get((CURRENT, pk), 0), areas[pk].name if pk else ""),
    )
    shown_categories = [
        category for category in categories if by_category.get((CURRENT, category.pk))
    ]
    peak = max((count for key, count in cells.items() if key[0] == CURRENT), default=0)
    matrix_rows = []
    for category in shown_categories:
        row_cells = []
        for pk in shown_areas:
            figure = _figure(_by_period(cells, category.pk, pk))
            level = _level(figure.now, peak)
            row_cells.append(Cell(figure, level))
        matrix_rows.append(
            MatrixRow(category, row_cells, _figure(_by_period(by_category, category.pk)))
        )
    return Matrix(
        areas=[areas.get(pk) for pk in shown_areas],
        rows=matrix_rows,
        area_totals=[_figure(_by_period(by_area, pk)) for pk in shown_areas],
        total=_figure(_by_period(totals)),
    )


def _level(count: float | None, peak: float) -> int:
    """0 for nothing, else 1–HEAT_LEVELS by the share of the peak."""
    if not count or not peak:
        return 0
    return max(1, min(HEAT_LEVELS, round(HEAT_LEVELS * count / peak)))


def _growing(matrix: Matrix, limit: int = 6) -> list[Growth]:
    """The combinations of category and area that grew most against the period before."""
    grown = [
        Growth(row.category, area, cell.figure)
        for row in matrix.rows
        for area, cell in zip(matrix.areas, row.cells, strict=True)
        if cell.figure.vs_previous.tone == "bad"
    ]
    grown.sort(key=lambda g: (-(g.figure.now - g.figure.previous), g.category.position))
    return grown[:limit]


def _trend(rows, period: Period) -> dict:
    """Per night (or per week of a long period) for the three periods, aligned from their
    first nights, with labels from the period shown."""
    counts = _index(rows, "trend", "step")
    step = 1 if period.trend_bucket == Bucket.NIGHT else 7
    steps = -(-period.shown.count // step)
    labels = [period.shown.first + timedelta(days=index * step) for index in range(steps)]
    return {
        "bucket": period.trend_bucket.value,
        "labels": [label.isoformat() for label in labels],
        "series": [
            [counts.get((which, index), 0) for index in range(steps)]
            for which in (CURRENT, PREVIOUS, LAST_YEAR)
        ],
    }


def _heat(rows) -> list[dict]:
    counts = _index(rows, "heat", "weekday", "hour")
    current = {key[1:]: count for key, count in counts.items() if key[0] == CURRENT}
    peak = max(current.values(), default=0)
    return [
        {
            "weekday": weekday,
            "cells": [
                {"hour": hour, "count": current.get((weekday, hour), 0)}
                | {"level": _level(current.get((weekday, hour), 0), peak)}
                for hour in HOURS
            ],
            "total": sum(current.get((weekday, hour), 0) for hour in HOURS),
        }
        for weekday in range(1, 8)
    ]


def _map(rows, areas: list[Area], filters: Filters) -> dict:
    wanted = list(INCIDENT_SETS).index("map")
    cells = [
        [round(row["mean_lat"], 6), round(row["mean_lon"], 6), row["count"]]
        for row in rows
        if row["set"] == wanted and row["period"] == CURRENT and row["cell_lat"] is not None
    ]
    return {
        "cells": cells,
        "areas": feature_collection(
            area_feature(area, selected=filters.area is not None and area.pk == filters.area.pk)
            for area in areas
            if area.active
        ),
    }


# --- Calls for help, night-button calls, presence and deviations


def _escalations(user: User, periods: list[Nights], filters: Filters):
    rows = compare_periods(
        escalations_for_user(user).filter(filters.q("incident__")),
        moment="called_at",
        periods=periods,
        fields={"service_code": "service", "called": "called_at", "arrived": "arrived_at"},
        dimensions={"service": "service_code"},
        grouping_sets=[(), ("service",)],
        aggregates={
            "count": "count(*)",
            "reached": "count(arrived)",
            "median": (
                "percentile_cont(0.5) WITHIN GROUP "
                "(ORDER BY extract(epoch FROM arrived - called) / 60)"
            ),
        },
    )
    totals, per_service = _totals_and_per_choice(rows, "service", Service.choices)
    services = [
        {
            "service": service,
            "label": label,
            "calls": _pick(by_period, "count", default=0),
            "reached": (by_period[CURRENT] or {}).get("reached", 0),
            "median": _pick(by_period, "median", least=2),
        }
        for service, label, by_period in per_service
    ]
    return (
        _pick(totals, "count", default=0),
        _pick(totals, "median", least=2),
        services,
    )


def _totals_and_per_choice(rows: list[dict], dimension: str, choices) -> tuple[dict, list]:
    """compare_periods' rows grouped by () and by (dimension,): the totals by period, and
    (value, label, rows by period) for each choice with rows in any period, in choice order."""
    totals = {row["period"]: row for row in rows if row["set"] == 0}
    per_value = {(row["period"], row[dimension]): row for row in rows if row["set"] == 1}
    per_choice = []
    for value, label in choices:
        by_period = {
            which: per_value.get((which, value)) for which in (CURRENT, PREVIOUS, LAST_YEAR)
        }
        if any(by_period.values()):
            per_choice.append((value, label, by_period))
    return totals, per_choice


def _pick(rows_by_period: dict[int, dict | None], key: str, default=None, **options) -> Figure:
    """One aggregate of compare_periods' rows (by period) as a Figure, `default` where a period
    had no rows: a count of nothing is 0, a median of nothing is None, not zero minutes."""
    return Figure(
        *(
            (rows_by_period.get(which) or {}).get(key, default)
            for which in (CURRENT, PREVIOUS, LAST_YEAR)
        ),
        **options,
    )


DISPATCH_STEPS = {
    "to_dispatch": "dispatched",
    "to_acknowledge": "acknowledged",
    "to_on_scene": "on_scene",
}


def _dispatches(user: User, periods: list[Nights], filters: Filters) -> dict:
    """Call-outs in the periods, and the median minutes from the request to the first time a
    car was sent, acknowledged it and was on scene: in all and per priority."""
    rows = compare_periods(
        with_times(requests_for_user(user).filter(filters.q())),
        moment="requested_at",
        periods=periods,
        fields={
            "priority_code": "priority",
            **{step: f"{step}_at" for step in DISPATCH_STEPS.values()},
        },
        dimensions={"priority": "priority_code"},
        grouping_sets=[(), ("priority",)],
        aggregates={
            "count": "count(*)",
            **{
                name: "percentile_cont(0.5) WITHIN GROUP "
                f"(ORDER BY extract(epoch FROM {step} - moment_at) / 60)"
                for name, step in DISPATCH_STEPS.items()
            },
        },
    )

    def figures(by_period: dict[int, dict | None]) -> dict:
        return {"requests": _pick(by_period, "count", default=0)} | {
            name: _pick(by_period, name, least=2) for name in DISPATCH_STEPS
        }

    totals, per_priority = _totals_and_per_choice(rows, "priority", Priority.choices)
    return {
        "total": figures(totals),
        "priorities": [
            {"label": label, **figures(by_period)} for _value, label, by_period in per_priority
        ],
    }


def _night_button(user: User, periods: list[Nights], step: int):
    rows = compare_periods(
        night_button_calls_for_user(user),
        moment="started_at",
        periods=periods,
        fields={"outcome_code": "outcome", "outside": "outside_hours"},
        dimensions={"step": f"(night - first_night) / {int(step)}"},
        grouping_sets=[(), ("step",)],
        aggregates={
            "count": "count(*)",
            "escalated": f"count(*) FILTER (WHERE outcome_code = '{CallOutcome.ESCALATED_112}')",
            "outside_hours": "count(*) FILTER (WHERE outside)",
        },
    )
    totals = {row["period"]: row for row in rows if row["set"] == 0}
    per_step = {(row["period"], row["step"]): row["count"] for row in rows if row["set"] == 1}
    current = totals.get(CURRENT, {})
    return (
        _pick(totals, "count", default=0),
        current.get("escalated", 0),
        current.get("outside_hours", 0),
        per_step,
    )


def _presence(
    period: Period, filters: Filters, by_area: dict[tuple, int], all_incidents: int, names: dict
):
    """Planned and present minutes per area in the period shown (and the present totals of the
    two it is compared with), beside the incidents there. The candidates for the next
    assignment: at most three areas whose share of the incidents is largest beside their share
    of the presence (at least one and a half times it, and five incidents or more)."""
    area_ids = [filters.area.pk] if filters.area else None
    rows = {
        which: presence(first_night=nights.first, last_night=nights.last, area_ids=area_ids)
        for which, nights in (
            (CURRENT, period.shown),
            (PREVIOUS, period.previous),
            (LAST_YEAR, period.last_year),
        )
    }
    totals = {which: found[0] if found else None for which, found in rows.items()}
    present = Figure(
        *(round(totals[w].all_present_minutes / 60) if totals[w] else 0 for w in (0, 1, 2)),
        worse_when_higher=False,
        least=1,
    )
    current = totals[CURRENT]
    areas = {row.area_id: row for row in rows[CURRENT]}  # the area totals repeat on each row
    all_present = current.all_present_minutes if current else 0
    listed, gaps = [], {}
    for pk in {*areas, *(pk for (which, pk) in by_area if which == CURRENT and pk)}:
        row = areas.get(pk)
        incidents = _figure(_by_period(by_area, pk))
        present_minutes = row.area_present_minutes if row else 0
        incident_share = incidents.now / all_incidents if all_incidents else 0
        present_share = present_minutes / all_present if all_present else 0
        # Within one area every share is the whole: candidates compare areas.
        if (
            filters.area is None
            and incidents.now >= CANDIDATE_LEAST
            and incident_share >= 1.5 * present_share
        ):
            gaps[pk] = incident_share - present_share
        listed.append(
            {
                "area_id": pk,
                "name": row.area_name if row else names[pk].name,
                "incidents": incidents,
                "planned": row.area_planned_minutes if row else 0,
                "present": present_minutes,
                "coverage": row.area_coverage if row else None,
                "per_hour": round(60 * incidents.now / present_minutes, 1)
                if present_minutes
                else None,
            }
        )
    candidates = sorted(gaps, key=gaps.__getitem__, reverse=True)[:CANDIDATES]
    for entry in listed:
        entry["candidate"] = entry["area_id"] in candidates
    listed.sort(key=lambda entry: (-entry["incidents"].now, entry["name"] or ""))
    return (
        listed,
        present,
        round(current.all_planned_minutes / 60) if current else 0,
        current.all_coverage if current else None,
    )


def _deviations(user: User, periods: list[Nights]) -> dict:
    deviations = deviations_for_user(user)
    now = deviations.aggregate(
        open=Count("id", filter=~Q(state=DeviationState.RESOLVED)),
        overdue=Count(
            "id", filter=~Q(state=DeviationState.RESOLVED) & Q(found_at__lt=overdue_cutoff())
        ),
    )
    found = compare_periods(
        deviations,
        moment="found_at",
        periods=periods,
        fields={},
        dimensions={},
        grouping_sets=[()],
        aggregates={"count": "count(*)"},
    )
    return {
        **now,
        "found": _figure({row["period"]: row["count"] for row in found}),
    }


def sees_property_figures(user: User) -> bool:
    return can(user, Capability.VIEW_PROPERTIES)


def sees_presence(user: User) -> bool:
    return can(user, Capability.PLAN_PATROLS) or can(user, Capability.VIEW_PATROLS)


def area_choices(user: User) -> list[Area]:
    """Every area the user may read, in use or not (old incidents keep their area)."""
    return list(areas_for_user(user).order_by("-active", "name"))


def lagesbild(*, user: User, period: Period, filters: Filters, areas: list[Area]) -> Lagesbild:
    """Every figure of the dashboard for the period, with `areas` from area_choices()."""
    periods = [period.shown, period.previous, period.last_year]
    step = 1 if period.trend_bucket == Bucket.NIGHT else 7
    incidents = incidents_for_user(user).filter(filters.q())
    rows = _incident_rows(incidents, periods, step)
    categories = list(Category.objects.all())
    if filters.group:
        categories = [category for category in categories if category.group == filters.group]
    matrix = _matrix(rows, categories, {area.pk: area for area in areas})
    escalations, median, services = _escalations(user, periods, filters)
    calls, escalated, outside, per_step = _night_button(user, periods, step)
    trend = _trend(rows, period)
    trend["night_button"] = [
        [per_step.get((which, index), 0) for index in range(len(trend["labels"]))]
        for which in (CURRENT, PREVIOUS)
    ]
    figures = Lagesbild(
        period=period,
        filters=filters,
        incidents=matrix.total,
        matrix=matrix,
        growing=_growing(matrix),
        trend=trend,
        heat=_heat(rows),
        map_data=_map(rows, areas, filters),
        escalations=escalations,
        median_to_arrival=Figure(
            median.now, median.previous, median.last_year, worse_when_higher=True, least=2
        ),
        services=services,
        night_button=calls,
        night_button_escalated=escalated,
        night_button_outside_hours=outside,
        dispatches=_dispatches(user, periods, filters),
    )
    if sees_presence(user):
        (
            figures.presence,
            figures.present_hours,
            figures.planned_hours,
            figures.coverage,
        ) = _presence(
            period,
            filters,
            _index(rows, "area", "area"),
            matrix.total.now,
            {area.pk: area for area in areas},
        )
    if sees_property_figures(user):
        figures.deviations = _deviations(user, periods)
    return figures


# --- The start page: last night at a glance


@dataclass
class Glance:
    night: date
    incidents: Figure
    categories: list[tuple[Category, Figure]]
    areas: list[tuple[Area | None, Figure]]
    escalations: int
    night_button: int

    @property
    def label(self) -> str:
        return night_label(self.night)


def night_glance(user: User, night: date, *, top: int = 3) -> Glance:
    """Last night against the night before and the same night a week earlier (in the
    Figure's previous and last-year places): the incidents and the categories and areas with
    most of them, the calls for help and the night-button calls."""
    periods = [
        Nights(night, night),
        Nights(night - timedelta(days=1), night - timedelta(days=1)),
        Nights(night - timedelta(days=7), night - timedelta(days=7)),
    ]
    rows = compare_periods(
        incidents_for_user(user),
        moment="occurred_at",
        periods=periods,
        fields={"area_key": "area", "category_key": "category"},
        dimensions={"category": "category_key", "area": "area_key"},
        grouping_sets=[(), ("category",), ("area",)],
        aggregates={"count": "count(*)"},
    )
    counts = {
        (row["set"], row["period"], row["category"], row["area"]): row["count"] for row in rows
    }

    def figure(which: int, category=None, area=None) -> Figure:
        return Figure(*(counts.get((which, p, category, area), 0) for p in (0, 1, 2)))

    categories = {category.pk: category for category in Category.objects.all()}
    areas = {area.pk: area for area in areas_for_user(user)}
    top_categories = sorted(
        (key[2] for key in counts if key[0] == 1 and key[1] == CURRENT),
        key=lambda pk: -counts[(1, CURRENT, pk, None)],
    )[:top]
    top_areas = sorted(
        (key[3] for key in counts if key[0] == 2 and key[1] == CURRENT),
        key=lambda pk: -counts[(2, CURRENT, None, pk)],
    )[:top]
    start, end = periods[0].bounds()
    return Glance(
        night=night,
        incidents=figure(0),
        categories=[(categories[pk], figure(1, category=pk)) for pk in top_categories],
        areas=[(areas.get(pk), figure(2, area=pk)) for pk in top_areas],
        escalations=escalations_for_user(user)
        .filter(called_at__gte=start, called_at__lt=end)
        .count(),
        night_button=night_button_calls_for_user(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .count(),
    )
