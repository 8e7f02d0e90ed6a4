"""Who sees and changes which incidents, calls for help, citizen contacts and night-button calls.

Two decisions, each made once here and used by the pages, the API and the exports alike:
- scope: the chief and report clients read everything, partners everything inside their
  organisation's scope (areas, category groups, agreement period: trygghet.accounts.scope); a
  host reads what they reported and what was logged on their shifts; everyone else nothing
  (another's object, or one outside a partner's scope, is 404);
- personal data: only roles with VIEW_PERSONAL_DATA (chief, host) get the free texts, photos,
  contact details and the hosts' identities (`personal_data_for`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from incidents.models import (
    CitizenContact,
    DepartmentTask,
    Escalation,
    Incident,
    IncidentQuerySet,
    NightButtonCall,
)
from patrols.models import ShiftHost, ShiftState
from trygghet.accounts.models import Department, User
from trygghet.accounts.policy import (
    Capability,
    can,
    department_of,
    in_organisation_scope,
    sees_personal_data,
)
from trygghet.audit.reasons import reason_required

# Where each kind of record keeps its area and category group, for a partner's scope and the
# lägesbild's filters alike; `moment` places it in a night.
INCIDENT_LOOKUPS = {"area": "area", "group": "category__group"}
ESCALATION_LOOKUPS = {"area": "incident__area", "group": "incident__category__group"}
CONTACT_LOOKUPS = {"group": "category__group"}


def reads_all(user: User) -> bool:
    return can(user, Capability.MANAGE_INCIDENTS) or can(user, Capability.VIEW_INCIDENTS)


def is_host(user: User) -> bool:
    return can(user, Capability.WORK_SHIFTS)


def manages_incidents(user: User) -> bool:
    return can(user, Capability.MANAGE_INCIDENTS)


def personal_data_for(user: User) -> bool:
    """The one personal-data decision for pages, API and exports."""
    return sees_personal_data(user)


def _on_my_shift(user: User, shift_field: str = "shift") -> Exists:
    return Exists(ShiftHost.objects.filter(shift=OuterRef(shift_field), host=user, cancelled=False))


def incidents_for_user(user: User) -> IncidentQuerySet:
    incidents = Incident.objects.all()
    if reads_all(user):
        return in_organisation_scope(user, incidents, INCIDENT_LOOKUPS, moment="occurred_at")
    if is_host(user):
        return incidents.filter(Q(reported_by=user) | _on_my_shift(user))
    return incidents.none()


def escalations_for_user(user: User) -> QuerySet[Escalation]:
    escalations = Escalation.objects.all()
    if reads_all(user):
        return in_organisation_scope(user, escalations, ESCALATION_LOOKUPS, moment="called_at")
    if is_host(user):
        return escalations.filter(incident__in=incidents_for_user(user).values("pk"))
    return escalations.none()


def citizen_contacts_for_user(user: User) -> QuerySet[CitizenContact]:
    contacts = CitizenContact.objects.all()
    if reads_all(user):
        return in_organisation_scope(user, contacts, CONTACT_LOOKUPS, moment="received_at")
    if is_host(user):
        # Web reports wait without a shift until a host takes them.
        waiting = Q(shift__isnull=True, recorded_by__isnull=True)
        return contacts.filter(Q(recorded_by=user) | _on_my_shift(user) | waiting)
    return contacts.none()


def night_button_calls_for_user(user: User) -> QuerySet[NightButtonCall]:
    calls = NightButtonCall.objects.all()
    if reads_all(user):
        # No area and no group: only a partner who sees every area and group sees these.
        return in_organisation_scope(user, calls, {}, moment="started_at")
    if is_host(user):
        return calls.filter(Q(host=user) | _on_my_shift(user))
    return calls.none()


def department_tasks_for_user(user: User) -> QuerySet[DepartmentTask]:
    """Street-issue tasks: the chief reads every department's, a department's staff their own
    department's (another's is a 404), everyone else none."""
    tasks = DepartmentTask.objects.select_related(
        "department", "incident__category", "incident__area"
    )
    if manages_incidents(user):
        return tasks
    department = department_of(user)
    return tasks.filter(department=department) if department else tasks.none()


def task_department_filter_for(user: User) -> QuerySet[Department] | None:
    """The departments the chief may narrow the tasks to; None for a department's staff, who
    see their own only."""
    return Department.objects.all() if manages_incidents(user) else None


def get_department_task_for_user(user: User, pk: int) -> DepartmentTask:
    return get_object_or_404(department_tasks_for_user(user), pk=pk)


def can_follow_up_task(user: User, task: DepartmentTask) -> bool:
    """The department moves its own tasks along; the chief reads them and follows the
    incident itself."""
    department = department_of(user)
    return department is not None and task.department_id == department.pk


def get_incident_for_user(user: User, pk: int) -> Incident:
    return get_object_or_404(
        incidents_for_user(user).select_related(
            "category", "area", "shift", "reported_by", "shift__phone_line"
        ),
        pk=pk,
    )


def get_escalation_for_user(user: User, pk: int) -> Escalation:
    return get_object_or_404(
        escalations_for_user(user).select_related("incident", "incident__shift", "service_number"),
        pk=pk,
    )


def get_citizen_contact_for_user(user: User, pk: int) -> CitizenContact:
    return get_object_or_404(
        citizen_contacts_for_user(user).select_related("category", "phone_line", "incident"),
        pk=pk,
    )


def get_night_button_call_for_user(user: User, pk: int) -> NightButtonCall:
    return get_object_or_404(night_button_calls_for_user(user), pk=pk)


def can_edit_incident(user: User, incident: Incident) -> bool:
    """The chief edits every incident; a host their own (after the shift, as amendments)."""
    return manages_incidents(user) or (is_host(user) and incident.reported_by_id == user.pk)


def edit_is_amendment(incident: Incident) -> bool:
    """Once the shift is over, a change no longer corrects a draft: it amends a record that
    others may have read, so the history shows it as such."""
    return incident.shift is None or incident.shift.state != ShiftState.ACTIVE


def can_record_escalation(user: User, incident: Incident) -> bool:
    """Hosts in the car (the incident is theirs or their shift's) and the chief."""
    return manages_incidents(user) or is_host(user)


def can_edit_citizen_contact(user: User, contact: CitizenContact) -> bool:
    return manages_incidents(user) or is_host(user)


def _own_shift(user: User, shift_id: int | None) -> bool:
    return (
        shift_id is not None
        and ShiftHost.objects.filter(shift_id=shift_id, host=user, cancelled=False).exists()
    )


def incident_needs_reason(user: User, incident: Incident) -> bool:
    """Whether opening the incident asks why first (trygghet/audit/reasons.py): the host's own
    are those they reported or that were logged on their shift."""
    own = incident.reported_by_id == user.pk or _own_shift(user, incident.shift_id)
    return reason_required(user, moment=incident.occurred_at, own=own)


def citizen_contact_needs_reason(user: User, contact: CitizenContact) -> bool:
    """As for incidents; a web report still waiting for a host counts as every host's own, as
    taking it from the queue is their work."""
    waiting = contact.shift_id is None and contact.recorded_by_id is None
    own = waiting or contact.recorded_by_id == user.pk or _own_shift(user, contact.shift_id)
    return reason_required(user, moment=contact.received_at, own=own)
