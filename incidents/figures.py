"""The figures of what the hosts record, declared once: incidents (the events), the hosts'
activities, calls for help and night-button calls, each with the moment that places it in an operational night, what it may be
grouped by and what is measured. The lägesbild, its printable report, the start page's glance,
the stats API and the benchmark all count through these declarations."""

from __future__ import annotations

from django.db.models import F, FloatField, IntegerField, Q
from django.db.models.functions import Cast, Round

from incidents.models import CallOutcome, CategoryKind
from incidents.permissions import (
    ESCALATION_LOOKUPS,
    INCIDENT_LOOKUPS,
    escalations_for_user,
    incidents_for_user,
    night_button_calls_for_user,
)
from incidents.selectors import category_name_field
from trygghet.core.aggregates import Counted, Dimension, Measure, Minutes

# Map cells of a thousandth of a degree: about 110 m north–south and 55 m east–west here, close
# enough to see where, too coarse to point at a door.
CELL = 1000


def _whole(expression) -> Cast:
    return Cast(expression, IntegerField())


def _of_kind(kind: CategoryKind) -> Counted:
    return Counted(
        records=lambda user: incidents_for_user(user).of_kind(kind),
        moment="occurred_at",
        filters=INCIDENT_LOOKUPS,
        values={
            "category": F("category"),
            "area": F("area"),
            "cell_lat": _whole(Round(F("latitude") * CELL)),
            "cell_lon": _whole(Round(F("longitude") * CELL)),
        },
        measures={
            "count": Measure.count(),
            "mean_lat": Measure.mean(Cast("latitude", FloatField())),
            "mean_lon": Measure.mean(Cast("longitude", FloatField())),
        },
    )


def incidents() -> Counted:
    """What happened: the incident figures count events only, never the hosts' own work."""
    return _of_kind(CategoryKind.EVENT)


def activities() -> Counted:
    """The hosts' own work (dialogues, support given), counted beside their presence."""
    return _of_kind(CategoryKind.ACTIVITY)


def escalations() -> Counted:
    """Calls for help, by when they were made: how many, how many the service reached and the
    median minutes from the call to its arrival."""
    return Counted(
        records=escalations_for_user,
        moment="called_at",
        filters=ESCALATION_LOOKUPS,
        values={"service": F("service")},
        measures={
            "count": Measure.count(),
            "arrived": Measure.count(F("arrived_at")),
            "median_minutes_to_arrival": Measure.median(
                Minutes(F("called_at"), F("arrived_at"), exact=True)
            ),
        },
    )


def night_button_calls() -> Counted:
    return Counted(
        records=night_button_calls_for_user,
        moment="started_at",
        measures={
            "count": Measure.count(),
            "escalated": Measure.count(where=Q(outcome=CallOutcome.ESCALATED_112)),
            "outside_hours": Measure.count(where=Q(outside_hours=True)),
        },
    )


# --- What report programs may group by (the stats API): ids with their names beside them


def incident_dimensions(path: str = "") -> dict[str, Dimension]:
    """What incident figures are grouped by. `path` leads from the counted row to its incident
    ("incident__" for calls for help); an incident's own fields are named as they are."""

    def value(name: str, **names: str) -> Dimension:
        if path:
            names = {name: name, **names}
            return Dimension(expressions={key: F(path + lookup) for key, lookup in names.items()})
        return Dimension(
            fields=(name,), expressions={key: F(lookup) for key, lookup in names.items()}
        )

    return {
        "area": value("area", area_name="area__name"),
        "category": value(
            "category",
            category_code="category__code",
            category_name=category_name_field(),
        ),
        "group": Dimension(expressions={"group": F(f"{path}category__group")}),
        "severity": value("severity"),
        "source": value("source"),
    }


def escalation_dimensions() -> dict[str, Dimension]:
    groups = incident_dimensions("incident__")
    return {
        "service": Dimension(fields=("service",)),
        "area": groups["area"],
        "category": groups["category"],
        "group": groups["group"],
    }
