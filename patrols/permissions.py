"""Who sees and changes which areas, assignments, shifts and visits: the one place for it.

The chief plans everything; report programs read everything and partners everything inside
their organisation's scope (trygghet.accounts.scope), both without personal data, which the
serializers leave out; a host reads the areas and assignments and their own shifts and visits.
Another host's shift, or an area outside a partner's scope, is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patrols.models import Area, Assignment, Shift, ShiftQuerySet, Visit
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can, in_organisation_scope

READ_ALL = (Capability.PLAN_PATROLS, Capability.VIEW_PATROLS)
READ_AREAS = (*READ_ALL, Capability.WORK_SHIFTS)
# Where assignments and visits keep their area, for a partner's scope. Neither is in a category
# group, so a partner's groups do not narrow them.
AREA = {"area": "area"}


def reads_all_shifts(user: User) -> bool:
    return any(can(user, capability) for capability in READ_ALL)


def areas_for_user(user: User) -> QuerySet[Area]:
    if any(can(user, capability) for capability in READ_AREAS):
        return in_organisation_scope(
            user, Area.objects.all(), {"area": "pk"}, without=("group", "night")
        )
    return Area.objects.none()


def assignments_for_user(user: User) -> QuerySet[Assignment]:
    # An assignment is a standing plan for its area, not a night's record: the area decides.
    if any(can(user, capability) for capability in READ_AREAS):
        return in_organisation_scope(
            user, Assignment.objects.all(), AREA, without=("group", "night")
        )
    return Assignment.objects.none()


def shifts_for_user(user: User) -> QuerySet[Shift]:
    if reads_all_shifts(user):
        # A shift crosses areas: only a partner who sees every area sees it.
        return in_organisation_scope(
            user, Shift.objects.all(), {}, moment="planned_start", without=("group",)
        )
    if can(user, Capability.WORK_SHIFTS):
        return Shift.objects.for_host(user)
    return Shift.objects.none()


def visits_for_user(user: User) -> QuerySet[Visit]:
    if reads_all_shifts(user):
        return in_organisation_scope(
            user, Visit.objects.all(), AREA, moment="arrived_at", without=("group",)
        )
    if can(user, Capability.WORK_SHIFTS):
        return Visit.objects.filter(shift__shift_hosts__host=user)
    return Visit.objects.none()


def get_area_to_plan(user: User, pk: int) -> Area:
    return get_object_or_404(_if_planner(user, Area.objects.all()), pk=pk)


def get_assignment_to_plan(user: User, pk: int) -> Assignment:
    return get_object_or_404(_if_planner(user, Assignment.objects.select_related("area")), pk=pk)


def get_shift_to_plan(user: User, pk: int) -> Shift:
    return get_object_or_404(_if_planner(user, Shift.objects.all()), pk=pk)


def get_shift_for_user(user: User, pk: int) -> Shift:
    return get_object_or_404(shifts_for_user(user).select_related("vehicle", "phone_line"), pk=pk)


def get_shift_to_work(user: User, pk: int) -> Shift:
    """Any shift, for a host: whether it is theirs is a rule of the shift services, which say so
    in words (a host taken off a shift after loading the page should be told, not shown a 404)."""
    if not can(user, Capability.WORK_SHIFTS):
        return get_object_or_404(Shift.objects.none(), pk=pk)
    return get_object_or_404(Shift.objects.select_related("vehicle", "phone_line"), pk=pk)


def get_visit_to_record(user: User, pk: int) -> Visit:
    """A visit of one of the host's own shifts."""
    queryset = (
        Visit.objects.filter(shift__shift_hosts__host=user)
        if can(user, Capability.WORK_SHIFTS)
        else Visit.objects.none()
    )
    return get_object_or_404(queryset.select_related("shift", "area"), pk=pk)


def calendar_shifts_for(user: User) -> ShiftQuerySet | None:
    """The shifts a user's calendar feed carries: the team's schedule for the chief, a host's
    own shifts; None for anyone else (the feed is then not found, the page forbidden)."""
    if can(user, Capability.PLAN_PATROLS):
        return Shift.objects.all()
    if can(user, Capability.WORK_SHIFTS):
        return Shift.objects.for_host(user)
    return None


def _if_planner(user: User, queryset: QuerySet) -> QuerySet:
    return queryset if can(user, Capability.PLAN_PATROLS) else queryset.none()
