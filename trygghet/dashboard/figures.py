"""The lägesbild's figures as the page shows them: each number of the period beside the period
before and the same period last year (`Figure`, `Change`), and the tables, trend, heat map and
map made from the rows the apps' figure declarations count. Nothing here queries the database
or knows another app's columns: trygghet.dashboard.selectors fetches the rows for the user.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import KW_ONLY, dataclass, replace
from datetime import timedelta
from typing import Generic, TypeVar, cast

from django.utils.translation import gettext as _

from incidents.models import Category
from patrols.geo import area_feature
from patrols.models import Area
from patrols.selectors import PresenceRow
from trygghet.core.geojson import feature_collection
from trygghet.core.periods import Bucket, Period
from trygghet.core.time import night_starts_at

CURRENT, PREVIOUS, LAST_YEAR = 0, 1, 2
HEAT_LEVELS = 5
CANDIDATES, CANDIDATE_LEAST = 3, 5

# The groupings of the incidents' one query: the totals, the category × area table, the trend,
# the weekday × hour table and the map.
INCIDENT_SETS = {
    "total": (),
    "cell": ("category", "area"),
    "category": ("category",),
    "area": ("area",),
    "trend": ("step",),
    "heat": ("weekday", "hour"),
    "map": ("cell_lat", "cell_lon"),
}
# The groupings of the events counted from every source (the hosts' incidents and the partners'
# report rows, trygghet.dashboard.sources): the totals, the category × area table and the trend,
# and per source. The weekday × hour table and the map need a time and a position, which only
# the hosts' incidents have.
EVENT_SETS = {
    "total": (),
    "cell": ("category", "area"),
    "category": ("category",),
    "area": ("area",),
    "trend": ("step",),
    "source": ("source",),
    "category_source": ("category", "source"),
}
# The groupings of the activities' query: the totals and per area.
ACTIVITY_SETS = {"total": (), "area": ("area",)}


@dataclass(frozen=True)
class Change:
    """A figure against the one it is compared with. Notable when it moved by at least a fifth
    and by `least` (three incidents, say), so that two becoming three is not an alarm. Without
    anything to compare with (`before` is None: the other period has no data) there is no
    comparison, never a rise from zero."""

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
        return self.percent is not None and self.before is not None and self.before >= 10

    @property
    def _shown(self) -> int | None:
        """The change as the text shows it, rounded: what the arrow must agree with."""
        if self.now is None or self.before is None:
            return None
        return self.percent if self._in_percent else round(self.now - self.before)

    @property
    def comparable(self) -> bool:
        return self.before is not None

    @property
    def direction(self) -> str:
        if not self._shown:
            return "same"
        return "up" if self._shown > 0 else "down"

    @property
    def text(self) -> str:
        """+12 %, or +15 when there were fewer than ten before (2 to 17 is not "+750 %")."""
        if not self.comparable:
            return _("no comparison")
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


# A count is always a number; a median of nothing is None.
N = TypeVar("N", bound=float | None)


@dataclass(frozen=True)
class Figure(Generic[N]):
    """One number of the period with its two comparisons."""

    now: N
    previous: N
    last_year: N
    _: KW_ONLY
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

    def compared_with(self, periods: Collection[int]) -> Figure:
        """The figure compared only with the periods that have data: in the others a zero
        means nothing was recorded yet, not that nothing happened."""
        return replace(
            self,
            previous=cast(N, self.previous if PREVIOUS in periods else None),
            last_year=cast(N, self.last_year if LAST_YEAR in periods else None),
        )


def with_data(totals: Mapping) -> frozenset[int]:
    """The periods with any record, from the totals by period (keyed by the period, or by a
    tuple that starts with it): those a figure may be compared with."""
    return frozenset(
        key[0] if isinstance(key, tuple) else key for key, total in totals.items() if total
    )


def figure_of(
    by_period: Mapping[int, float], compared: Collection[int], **options
) -> Figure[float]:
    return Figure(
        by_period.get(CURRENT, 0),
        by_period.get(PREVIOUS, 0),
        by_period.get(LAST_YEAR, 0),
        **options,
    ).compared_with(compared)


@dataclass
class Cell:
    figure: Figure[float]
    level: int = 0


@dataclass
class MatrixRow:
    category: Category
    cells: list[Cell]
    total: Figure[float]


@dataclass
class Matrix:
    """Incidents by category (rows) and area (columns), with totals both ways."""

    areas: list[Area | None]
    rows: list[MatrixRow]
    area_totals: list[Figure[float]]
    total: Figure[float]


@dataclass(frozen=True)
class Growth:
    category: Category
    area: Area | None
    figure: Figure[float]


def index(rows: list[dict], name: str, *keys: str, sets: Mapping = INCIDENT_SETS) -> dict:
    """The rows of one grouping set (of `sets`, as the rows were grouped) by period and keys."""
    wanted = list(sets).index(name)
    return {
        (row["period"], *(row[key] for key in keys)): row["count"]
        for row in rows
        if row["set"] == wanted
    }


def by_period(counts: dict, *keys) -> dict[int, int]:
    return {period: counts.get((period, *keys), 0) for period in (CURRENT, PREVIOUS, LAST_YEAR)}


def matrix(rows, categories: list[Category], areas: dict[int, Area]) -> Matrix:
    """The events of every source (rows grouped by EVENT_SETS) by category and area."""
    cells = index(rows, "cell", "category", "area", sets=EVENT_SETS)
    by_category = index(rows, "category", "category", sets=EVENT_SETS)
    by_area = index(rows, "area", "area", sets=EVENT_SETS)
    totals = index(rows, "total", sets=EVENT_SETS)
    compared = with_data(totals)
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
            figure = figure_of(by_period(cells, category.pk, pk), compared)
            row_cells.append(Cell(figure, level(figure.now, peak)))
        matrix_rows.append(
            MatrixRow(category, row_cells, figure_of(by_period(by_category, category.pk), compared))
        )
    return Matrix(
        areas=[areas.get(pk) for pk in shown_areas],
        rows=matrix_rows,
        area_totals=[figure_of(by_period(by_area, pk), compared) for pk in shown_areas],
        total=figure_of(by_period(totals), compared),
    )


def level(count: float | None, peak: float) -> int:
    """0 for nothing, else 1–HEAT_LEVELS by the share of the peak."""
    if not count or not peak:
        return 0
    return max(1, min(HEAT_LEVELS, round(HEAT_LEVELS * count / peak)))


def growing(matrix: Matrix, limit: int = 6) -> list[Growth]:
    """The combinations of category and area that grew most against the period before."""
    grown = [
        Growth(row.category, area, cell.figure)
        for row in matrix.rows
        for area, cell in zip(matrix.areas, row.cells, strict=True)
        if cell.figure.vs_previous.tone == "bad"
    ]
    # Only comparable figures have a tone, so `previous` is a number here.
    grown.sort(key=lambda g: (-(g.figure.now - (g.figure.previous or 0)), g.category.position))
    return grown[:limit]


def trend(rows, period: Period) -> dict:
    """Per night (or per week, Monday to Sunday, of a long period) for the three periods,
    aligned from their first nights (or first weeks), with labels from the period shown: the
    date of each night, or of each week's Monday with its ISO week number ("v. 47"). The rows
    are the events of every source, grouped by EVENT_SETS."""
    counts = index(rows, "trend", "step", sets=EVENT_SETS)
    first, last = period.shown.first, period.shown.last
    if period.trend_bucket == Bucket.NIGHT:
        labels = [first + timedelta(days=n) for n in range(period.shown.count)]
        ticks: list[str | None] = [None] * len(labels)
    else:
        monday = first - timedelta(days=first.weekday())
        weeks = (last - monday).days // 7 + 1
        labels = [monday + timedelta(weeks=n) for n in range(weeks)]
        ticks = [_("w. {number}").format(number=label.isocalendar().week) for label in labels]
    return {
        "bucket": period.trend_bucket.value,
        "labels": [label.isoformat() for label in labels],
        "ticks": ticks,
        "series": [
            [counts.get((which, n), 0) for n in range(len(labels))]
            for which in (CURRENT, PREVIOUS, LAST_YEAR)
        ],
    }


def night_hours() -> list[int]:
    """The heat map's hour columns from the night's start to its end (noon to noon): a night
    reads left to right, in weekday rows Monday to Sunday night."""
    start = night_starts_at().hour
    return [(start + n) % 24 for n in range(24)]


def heat(rows) -> list[dict]:
    hours = night_hours()
    counts = index(rows, "heat", "weekday", "hour")
    current = {key[1:]: count for key, count in counts.items() if key[0] == CURRENT}
    peak = max(current.values(), default=0)
    return [
        {
            "weekday": weekday,
            "cells": [
                {"hour": hour, "count": current.get((weekday, hour), 0)}
                | {"level": level(current.get((weekday, hour), 0), peak)}
                for hour in hours
            ],
            "total": sum(current.get((weekday, hour), 0) for hour in hours),
        }
        for weekday in range(1, 8)
    ]


def map_data(rows, areas: list[Area], selected: Area | None) -> dict:
    wanted = list(INCIDENT_SETS).index("map")
    cells = [
        [round(row["mean_lat"], 6), round(row["mean_lon"], 6), row["count"]]
        for row in rows
        if row["set"] == wanted and row["period"] == CURRENT and row["cell_lat"] is not None
    ]
    return {
        "cells": cells,
        "areas": feature_collection(
            area_feature(area, selected=selected is not None and area.pk == selected.pk)
            for area in areas
            if area.active
        ),
    }


def totals_and_per_choice(rows: list[dict], dimension: str, choices) -> tuple[dict, list]:
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


def pick(
    rows_by_period: Mapping[int, dict | None],
    key: str,
    compared: Collection[int],
    default=None,
    **options,
) -> Figure:
    """One aggregate of compare_periods' rows (by period) as a Figure, `default` where a period
    had no rows: a count of nothing is 0, a median of nothing is None, not zero minutes. It is
    compared with the periods in `compared` only (with_data() of the totals)."""
    return Figure(
        *(
            (rows_by_period.get(which) or {}).get(key, default)
            for which in (CURRENT, PREVIOUS, LAST_YEAR)
        ),
        **options,
    ).compared_with(compared)


@dataclass
class Presence:
    """Presence in the areas: per area (planned and present minutes beside the events and the
    hosts' activities there), and the totals. `covered_hours` are the present hours inside the
    assigned windows: the coverage is those of the planned hours, so presence outside the
    windows raises the present hours but not the coverage."""

    areas: list[dict]
    present_hours: Figure
    planned_hours: int
    covered_hours: int
    coverage: int | None


def presence_table(
    rows: dict[int, list[PresenceRow]],
    selected: Area | None,
    incident_rows: list[dict],
    activity_rows: list[dict],
    names: dict,
) -> Presence:
    """Planned and present minutes per area in the period shown (and the present totals of the
    two it is compared with: `rows` by period), beside the events and the logged activities
    there (the rows of their queries, grouped by INCIDENT_SETS and ACTIVITY_SETS). The
    candidates for the next
    assignment: at most three areas whose share of the events is largest beside their share of
    the presence (at least one and a half times it, and five events or more)."""
    totals = {which: found[0] if found else None for which, found in rows.items()}
    present = Figure(
        *(round(row.all_present_minutes / 60) if (row := totals[w]) else 0 for w in (0, 1, 2)),
        worse_when_higher=False,
        least=1,
    ).compared_with({w for w, row in totals.items() if row and row.all_present_minutes})
    current = totals[CURRENT]
    areas = {row.area_id: row for row in rows[CURRENT]}  # the area totals repeat on each row
    nights_present: dict[int, int] = {}
    dialogues: dict[int, int] = {}
    for row in rows[CURRENT]:
        nights_present[row.area_id] = nights_present.get(row.area_id, 0) + (row.present_minutes > 0)
        dialogues[row.area_id] = dialogues.get(row.area_id, 0) + row.dialogues
    all_present = current.all_present_minutes if current else 0
    incidents = index(incident_rows, "area", "area")
    activities = index(activity_rows, "area", "area", sets=ACTIVITY_SETS)
    incident_totals = index(incident_rows, "total")
    all_incidents = incident_totals.get((CURRENT,), 0)
    compared = with_data(incident_totals)
    activities_compared = with_data(index(activity_rows, "total", sets=ACTIVITY_SETS))
    listed, gaps = [], {}
    shown = {*areas, *(key[1] for key in (*incidents, *activities) if key[0] == CURRENT)}
    for pk in shown - {None}:
        row = areas.get(pk)
        events = figure_of(by_period(incidents, pk), compared)
        logged = figure_of(by_period(activities, pk), activities_compared, worse_when_higher=False)
        present_minutes = row.area_present_minutes if row else 0
        incident_share = events.now / all_incidents if all_incidents else 0
        present_share = present_minutes / all_present if all_present else 0
        # Within one area every share is the whole: candidates compare areas.
        if (
            selected is None
            and events.now >= CANDIDATE_LEAST
            and incident_share >= 1.5 * present_share
        ):
            gaps[pk] = incident_share - present_share
        nights = nights_present.get(pk, 0)
        listed.append(
            {
                "area_id": pk,
                "name": row.area_name if row else names[pk].name,
                "incidents": events,
                "activities": logged,
                "dialogues": dialogues.get(pk, 0),
                "nights": nights,
                "activities_per_night": round((logged.now + dialogues.get(pk, 0)) / nights, 1)
                if nights
                else None,
                "planned": row.area_planned_minutes if row else 0,
                "present": present_minutes,
                "coverage": row.area_coverage if row else None,
                "per_hour": round(60 * events.now / present_minutes, 1)
                if present_minutes
                else None,
            }
        )
    candidates = sorted(gaps, key=gaps.__getitem__, reverse=True)[:CANDIDATES]
    for entry in listed:
        entry["candidate"] = entry["area_id"] in candidates
    listed.sort(key=lambda entry: (-entry["incidents"].now, entry["name"] or ""))
    return Presence(
        areas=listed,
        present_hours=present,
        planned_hours=round(current.all_planned_minutes / 60) if current else 0,
        covered_hours=round(current.all_covered_minutes / 60) if current else 0,
        coverage=current.all_coverage if current else None,
    )
