"""The patrols app's models, one module per kind of record; importing them here is what
registers them with Django and keeps `from patrols.models import Shift` working."""

from patrols.models.areas import Area, AreaKind, AreaQuerySet, AreaVersion, AreaVersionQuerySet
from patrols.models.assignments import (
    Assignment,
    AssignmentQuerySet,
    Consultation,
    ConsultedWith,
    Priority,
    Weekday,
)
from patrols.models.feeds import CalendarFeed
from patrols.models.shifts import (
    HOST_OVERLAP,
    PHONE_LINE_OVERLAP,
    VEHICLE_OVERLAP,
    PhoneLine,
    Shift,
    ShiftHost,
    ShiftQuerySet,
    ShiftState,
    Vehicle,
    Visit,
    VisitQuerySet,
)

__all__ = [
    "HOST_OVERLAP",
    "PHONE_LINE_OVERLAP",
    "VEHICLE_OVERLAP",
    "Area",
    "AreaKind",
    "AreaQuerySet",
    "AreaVersion",
    "AreaVersionQuerySet",
    "Assignment",
    "AssignmentQuerySet",
    "CalendarFeed",
    "Consultation",
    "ConsultedWith",
    "PhoneLine",
    "Priority",
    "Shift",
    "ShiftHost",
    "ShiftQuerySet",
    "ShiftState",
    "Vehicle",
    "Visit",
    "VisitQuerySet",
    "Weekday",
]
