"""Every write of the incidents app, one module per kind of record. Each runs in a transaction and
refuses bad input with a ValidationError naming the field, so that nothing is half saved and the
page or the API can say what was wrong."""

from incidents.services.contacts import (
    citizen_contact_create,
    citizen_contact_report,
    citizen_contact_update,
    incident_create_for_contact,
)
from incidents.services.department_tasks import department_task_transition
from incidents.services.escalations import escalation_create, escalation_update
from incidents.services.incidents import (
    EDITABLE_FIELDS,
    incident_create,
    incident_set_state,
    incident_update,
)
from incidents.services.legal_hold import legal_hold_set
from incidents.services.night_button import night_button_call_end, night_button_call_start
from incidents.services.reference import night_button_settings_save, reference_save

__all__ = [
    "EDITABLE_FIELDS",
    "citizen_contact_create",
    "citizen_contact_report",
    "citizen_contact_update",
    "department_task_transition",
    "escalation_create",
    "escalation_update",
    "incident_create",
    "incident_create_for_contact",
    "incident_set_state",
    "incident_update",
    "legal_hold_set",
    "night_button_call_end",
    "night_button_call_start",
    "night_button_settings_save",
    "reference_save",
]
