"""The lägesbild: every figure of the dashboard, its printable report and the start panel,
computed by PostgreSQL in a fixed number of queries whatever the number of rows.

The figures are those each app declares (incidents.figures, trygghet.dispatch.figures,
properties.figures and patrols' presence): this module only scopes them to the user (the role's
records, a partner's organisation scope, the page's filters, the periods compared) and hands
the rows to trygghet.dashboard.figures, which shows them. Each is counted in the period shown, the period
before and the same period last year in one query (trygghet.core.aggregates.compare_periods).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from incidents import figures as incident_figures
from incidents.models import Category, CategoryGroup, Service
from patrols.models import Area, Priority
from patrols.permissions import areas_for_user
from patrols.selectors import presence
from properties import figures as property_figures
from trygghet.accounts.models import Organisation, User
from trygghet.accounts.policy import Capability, can, organisation_scope
from trygghet.core.aggregates import Counted
from trygghet.core.periods import Bucket, Nights, Period, night_label
from trygghet.dashboard.figures import (
    ACTIVITY_SETS,
    CURRENT,
    EVENT_SETS,
    INCIDENT_SETS,
    LAST_YEAR,
    PREVIOUS,
    Figure,
    Growth,
    Matrix,
    Presence,
    by_period,
    figure_of,
    growing,
    heat,
    index,
    map_data,
    matrix,
    pick,
    presence_table,
    totals_and_per_choice,
    trend,
    with_data,
)
from trygghet.dashboard.sources import HOSTS, HOSTS_LABEL, Source, SourceTable, events, source_table
from trygghet.dispatch import figures as dispatch_figures
from trygghet.partners import figures as partner_figures


@dataclass(frozen=True)
class Filters:
    area: Area | None = None
    group: str = ""
    # Whose events the event figures count: every source when None.
    source: Source | None = None

    @property
    def group_label(self) -> str:
        return str(CategoryGroup(self.group).label) if self.group else ""

    def as_query(self) -> dict:
        """The filters as the query string of the dashboard and of the incident list."""
        query = {
            "area": self.area.pk if self.area else None,
            "group": self.group or None,
            "source": self.source.key if self.source else None,
        }
        return {name: value for name, value in query.items() if value is not None}

    def q(self, lookups: Mapping[str, str]) -> Q:
        """The filters on records whose area and category group are at `lookups` (a figure
        declaration's `filters`); records without such lookups are not filtered."""
        q = Q()
        if self.area is not None and "area" in lookups:
            q &= Q(**{lookups["area"]: self.area})
        if self.group and "group" in lookups:
            q &= Q(**{lookups["group"]: self.group})
        return q

    @property
    def counts_hosts(self) -> bool:
        return self.source is None or self.source.is_hosts

    @property
    def counts_partners(self) -> bool:
        return self.source is None or not self.source.is_hosts


def scoped(user: User, counted: Counted, filters: Filters | None = None) -> Q:
    """What of a figure's records the user counts beyond the records' own scope: the page's
    filters, and a partner's organisation scope through the declaration's lookups (its "area",
    "group" and "night", else its moment). A declaration whose records cannot be placed in a
    partner's scope counts nothing for them."""
    where = filters.q(counted.filters) if filters else Q()
    scope = organisation_scope(user)
    if scope is not None:
        where &= scope.q(counted.filters, moment=counted.moment)
    return where


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
    activities: Figure
    sources: SourceTable
    presence: Presence | None = None
    deviations: dict | None = None


def _incident_rows(user: User, periods: list[Nights], filters: Filters, step: int) -> list[dict]:
    """The incidents' one query: the totals, the category × area table, the trend, the
    weekday × hour table and the map (positions only for the period shown, the only one on
    the map)."""
    counted = incident_figures.incidents()
    return counted.compare(
        user,
        periods,
        where=scoped(user, counted, filters),
        grouping_sets=list(INCIDENT_SETS.values()),
        step=step,
        shown_only=("cell_lat", "cell_lon"),
    )


def _partner_rows(user: User, periods: list[Nights], filters: Filters, step: int) -> list[dict]:
    """The partners' report rows: in all, per organisation and as the incidents are grouped
    (but for the hour and the map, which they have no data for)."""
    if not filters.counts_partners:
        return []
    counted = partner_figures.report_rows()
    where = filters.q(counted.filters)
    if filters.source is not None:
        where &= Q(report__organisation=filters.source.key)
    return counted.compare(
        user, periods, where=where, grouping_sets=list(EVENT_SETS.values()), step=step
    )


def _activity_rows(user: User, periods: list[Nights], filters: Filters) -> list[dict]:
    """The hosts' logged activities (dialogues, support given): in all and per area."""
    counted = incident_figures.activities()
    return counted.compare(
        user,
        periods,
        where=scoped(user, counted, filters),
        grouping_sets=list(ACTIVITY_SETS.values()),
        measures=["count"],
    )


def _escalations(user: User, periods: list[Nights], filters: Filters):
    counted = incident_figures.escalations()
    rows = counted.compare(
        user, periods, where=scoped(user, counted, filters), grouping_sets=[(), ("service",)]
    )
    totals, per_service = totals_and_per_choice(rows, "service", Service.choices)
    compared = with_data(totals)
    services = [
        {
            "service": service,
            "label": label,
            "calls": pick(by_period, "count", compared, default=0),
            "reached": (by_period[CURRENT] or {}).get("arrived", 0),
            "median": pick(by_period, "median_minutes_to_arrival", compared, least=2),
        }
        for service, label, by_period in per_service
    ]
    return (
        pick(totals, "count", compared, default=0),
        pick(totals, "median_minutes_to_arrival", compared, least=2),
        services,
    )


def _dispatches(user: User, periods: list[Nights], filters: Filters) -> dict:
    """Call-outs in the periods, and the median minutes from the request to the first time a
    car was sent, acknowledged it and was on scene: in all and per priority."""
    counted = dispatch_figures.call_outs()
    rows = counted.compare(
        user,
        periods,
        where=scoped(user, counted, filters),
        grouping_sets=[(), ("priority",)],
        measures=["requests", *dispatch_figures.STEPS],
    )

    totals, per_priority = totals_and_per_choice(rows, "priority", Priority.choices)
    compared = with_data(totals)

    def figures(by_period: dict[int, dict | None]) -> dict:
        return {"requests": pick(by_period, "requests", compared, default=0)} | {
            name: pick(by_period, name, compared, least=2) for name in dispatch_figures.STEPS
        }

    return {
        "total": figures(totals),
        "priorities": [
            {"label": label, **figures(by_period)} for _value, label, by_period in per_priority
        ],
    }


def _night_button(user: User, periods: list[Nights], step: int):
    counted = incident_figures.night_button_calls()
    rows = counted.compare(
        user, periods, where=scoped(user, counted), grouping_sets=[(), ("step",)], step=step
    )
    totals = {row["period"]: row for row in rows if row["set"] == 0}
    per_step = {(row["period"], row["step"]): row["count"] for row in rows if row["set"] == 1}
    current = totals.get(CURRENT, {})
    return (
        pick(totals, "count", with_data(totals), default=0),
        current.get("escalated", 0),
        current.get("outside_hours", 0),
        per_step,
    )


def _presence(user: User, period: Period, filters: Filters, areas: list[Area]) -> dict:
    """Planned versus present minutes in the period shown and the two it is compared with: in
    the filter's area, and for a partner in the scope's areas (`areas`) on its nights."""
    scope = organisation_scope(user)
    area_ids = [area.pk for area in areas] if scope is not None else None
    if filters.area:
        area_ids = [filters.area.pk]

    def rows(nights: Nights) -> list:
        # A partner's nights are cut to the agreement before counting, so that the totals
        # over the period hold no night outside it either.
        within = (
            (nights.first, nights.last)
            if scope is None
            else scope.nights_within(nights.first, nights.last)
        )
        if within is None:
            return []
        return presence(first_night=within[0], last_night=within[1], area_ids=area_ids)

    return {
        which: rows(nights)
        for which, nights in (
            (CURRENT, period.shown),
            (PREVIOUS, period.previous),
            (LAST_YEAR, period.last_year),
        )
    }


def _deviations(user: User, periods: list[Nights]) -> dict:
    counted = property_figures.deviations()
    found = {
        row["period"]: row
        for row in counted.compare(user, periods, where=scoped(user, counted), measures=["found"])
    }
    return {
        **counted.totals(user, "open", "overdue"),
        "found": pick(found, "found", with_data(found), default=0),
    }


def sees_property_figures(user: User) -> bool:
    return can(user, Capability.VIEW_PROPERTIES)


def sees_presence(user: User) -> bool:
    return can(user, Capability.PLAN_PATROLS) or can(user, Capability.VIEW_PATROLS)


def area_choices(user: User) -> list[Area]:
    """Every area the user may read, in use or not (old incidents keep their area)."""
    return list(areas_for_user(user).order_by("-active", "name"))


def source_choices() -> list[Source]:
    """The sources of events: the hosts, then every partner organisation (those no longer
    active too, for the weeks they reported)."""
    organisations = Organisation.objects.order_by("-active", "name").values_list("pk", "name")
    return [Source(HOSTS, str(HOSTS_LABEL)), *(Source(pk, name) for pk, name in organisations)]


def lagesbild(
    *,
    user: User,
    period: Period,
    filters: Filters,
    areas: list[Area],
    sources: list[Source] | None = None,
) -> Lagesbild:
    """Every figure of the dashboard for the period, with `areas` from area_choices() and
    `sources` from source_choices(). The event figures count every source's events (or the
    source filtered by); the weekday × hour table, the map and the presence per area count the
    hosts' incidents only, the only ones with a time and an exact position."""
    periods = [period.shown, period.previous, period.last_year]
    step = 1 if period.trend_bucket == Bucket.NIGHT else 7
    rows = _incident_rows(user, periods, filters, step)
    event_rows = events(
        rows if filters.counts_hosts else [], _partner_rows(user, periods, filters, step)
    )
    names = {source.key: source.label for source in sources or source_choices()}
    activity_rows = _activity_rows(user, periods, filters)
    activity_totals = index(activity_rows, "total", sets=ACTIVITY_SETS)
    categories = list(Category.objects.all())
    if filters.group:
        categories = [category for category in categories if category.group == filters.group]
    table = matrix(event_rows, categories, {area.pk: area for area in areas})
    escalations, median, services = _escalations(user, periods, filters)
    calls, escalated, outside, per_step = _night_button(user, periods, step)
    incident_trend = trend(event_rows, period)
    incident_trend["night_button"] = [
        [per_step.get((which, n), 0) for n in range(len(incident_trend["labels"]))]
        for which in (CURRENT, PREVIOUS)
    ]
    figures = Lagesbild(
        period=period,
        filters=filters,
        incidents=table.total,
        matrix=table,
        growing=growing(table),
        trend=incident_trend,
        heat=heat(rows),
        map_data=map_data(rows, areas, filters.area),
        escalations=escalations,
        median_to_arrival=median,
        services=services,
        night_button=calls,
        night_button_escalated=escalated,
        night_button_outside_hours=outside,
        dispatches=_dispatches(user, periods, filters),
        activities=figure_of(
            by_period(activity_totals), with_data(activity_totals), worse_when_higher=False
        ),
        sources=source_table(event_rows, categories, names),
    )
    if sees_presence(user):
        figures.presence = presence_table(
            _presence(user, period, filters, areas),
            filters.area,
            rows,
            activity_rows,
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
    counted = incident_figures.incidents()
    rows = counted.compare(
        user,
        periods,
        where=scoped(user, counted),
        grouping_sets=[(), ("category",), ("area",)],
        measures=["count"],
    )
    counts = {
        (row["set"], row["period"], row["category"], row["area"]): row["count"] for row in rows
    }
    compared = with_data({row["period"]: row["count"] for row in rows if row["set"] == 0})

    def figure(which: int, category=None, area=None) -> Figure:
        return Figure(
            *(counts.get((which, p, category, area), 0) for p in (0, 1, 2))
        ).compared_with(compared)

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
    return Glance(
        night=night,
        incidents=figure(0),
        categories=[(categories[pk], figure(1, category=pk)) for pk in top_categories],
        areas=[(areas.get(pk), figure(2, area=pk)) for pk in top_areas],
        escalations=_count_in(user, incident_figures.escalations(), periods[0]),
        night_button=_count_in(user, incident_figures.night_button_calls(), periods[0]),
    )


def _count_in(user: User, counted: Counted, nights: Nights) -> int:
    return counted.in_nights(user, nights).filter(scoped(user, counted)).count()
