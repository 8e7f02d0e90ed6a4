"""The events of every source as one: the hosts' incidents and each partner organisation's report
rows, counted together and per source. Nothing here queries the database: the selectors hand
over the rows of the two queries (the hosts' grouped by INCIDENT_SETS, the partners' by
EVENT_SETS with the organisation as `source`) and the organisations' names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from incidents.models import Category
from trygghet.dashboard.figures import (
    CURRENT,
    EVENT_SETS,
    INCIDENT_SETS,
    Figure,
    by_period,
    figure_of,
    index,
    with_data,
)

# The source of the hosts' own incidents; the partners' are their organisations' ids.
HOSTS = "hosts"
HOSTS_LABEL = _("The hosts")

# The hosts' rows of these sets also give the per-source sets, as the hosts are one source.
_AS_SOURCE = {"total": "source", "category": "category_source"}


def events(hosts: list[dict], partners: list[dict]) -> list[dict]:
    """The rows of both queries as one set of rows grouped by EVENT_SETS, counts added up."""
    counts: dict[tuple, int] = defaultdict(int)
    host_sets, event_sets = list(INCIDENT_SETS), list(EVENT_SETS)
    for row in hosts:
        name = host_sets[row["set"]]
        if name not in EVENT_SETS:
            continue
        values = {**row, "source": HOSTS}
        for target in (name, _AS_SOURCE.get(name)):
            if target:
                keys = tuple(values[key] for key in EVENT_SETS[target])
                counts[(target, row["period"], keys)] += row["count"]
    for row in partners:
        name = event_sets[row["set"]]
        keys = tuple(row[key] for key in EVENT_SETS[name])
        counts[(name, row["period"], keys)] += row["count"]
    return [
        {
            "set": event_sets.index(name),
            "period": period,
            **dict(zip(EVENT_SETS[name], keys, strict=True)),
            "count": count,
        }
        for (name, period, keys), count in counts.items()
    ]


@dataclass(frozen=True)
class Source:
    key: str | int
    label: str

    @property
    def is_hosts(self) -> bool:
        return self.key == HOSTS


@dataclass
class SourceRow:
    category: Category
    figures: list[Figure[float]]
    total: Figure[float]


@dataclass
class SourceTable:
    """Events by category (rows) and source (columns), with totals both ways."""

    sources: list[Source]
    rows: list[SourceRow]
    source_totals: list[Figure[float]]
    total: Figure[float]


def source_table(
    rows: list[dict], categories: list[Category], names: Mapping[str | int, str]
) -> SourceTable:
    """The per-source breakdown of the events (rows grouped by EVENT_SETS): the sources with
    events in the period shown, the hosts first, then the organisations (`names` by id)."""
    per_source = index(rows, "source", "source", sets=EVENT_SETS)
    cells = index(rows, "category_source", "category", "source", sets=EVENT_SETS)
    by_category = index(rows, "category", "category", sets=EVENT_SETS)
    compared = with_data(index(rows, "total", sets=EVENT_SETS))
    shown = sorted(
        {key[1] for key, count in per_source.items() if key[0] == CURRENT and count},
        key=lambda source: (source != HOSTS, names.get(source, "") if source != HOSTS else ""),
    )
    sources = [
        Source(key, str(HOSTS_LABEL) if key == HOSTS else names.get(key, str(key))) for key in shown
    ]
    return SourceTable(
        sources=sources,
        rows=[
            SourceRow(
                category,
                [
                    figure_of(by_period(cells, category.pk, source.key), compared)
                    for source in sources
                ],
                figure_of(by_period(by_category, category.pk), compared),
            )
            for category in categories
            if by_category.get((CURRENT, category.pk))
        ],
        source_totals=[
            figure_of(by_period(per_source, source.key), compared) for source in sources
        ],
        total=figure_of(by_period(index(rows, "total", sets=EVENT_SETS)), compared),
    )
