"""The incidents app's models, one module per kind of record; importing them here is what
registers them with Django and keeps `from incidents.models import Incident` working."""

from typing import TYPE_CHECKING, Any

from incidents.models.categories import (
    Category,
    CategoryGroup,
    CategoryKind,
    CategoryQuerySet,
    Severity,
)
from incidents.models.contacts import Channel, CitizenContact, ContactOutcome, Referral
from incidents.models.department_tasks import DepartmentTask, DepartmentTaskStep
from incidents.models.escalations import Escalation, Service, ServiceNumber
from incidents.models.incidents import (
    HISTORY_FIELDS,
    FollowUp,
    FollowUpState,
    Incident,
    IncidentPhoto,
    IncidentQuerySet,
    Source,
)
from incidents.models.night_button import CallOutcome, NightButtonCall, NightButtonSettings

if TYPE_CHECKING:
    # pghistory.track (on Incident) creates this model, with Incident's history fields, and sets
    # it on this package when the models are imported: the type checker cannot see its fields.
    IncidentVersion: Any

__all__ = [
    "HISTORY_FIELDS",
    "CallOutcome",
    "Category",
    "CategoryGroup",
    "CategoryKind",
    "CategoryQuerySet",
    "Channel",
    "CitizenContact",
    "ContactOutcome",
    "DepartmentTask",
    "DepartmentTaskStep",
    "Escalation",
    "FollowUp",
    "FollowUpState",
    "Incident",
    "IncidentPhoto",
    "IncidentQuerySet",
    "IncidentVersion",
    "NightButtonCall",
    "NightButtonSettings",
    "Referral",
    "Service",
    "ServiceNumber",
    "Severity",
    "Source",
]
