"""Who sees which buildings, checks and deviations: every page, the API, the exports, the
figures and the start panels get their rows from these functions, so a property owner never
reaches another department's building by any route (it is a 404, not a 403).

Personal data (who checked a building, the free text of a deviation, its photos and who moved
it along) is decided once, in `personal_data_for`.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from patrols.selectors import active_shift_for
from properties.models import (
    Deviation,
    DeviationQuerySet,
    Property,
    PropertyCheck,
    PropertyQuerySet,
)
from trygghet.accounts.models import Department, User
from trygghet.accounts.permissions import departments_for_user
from trygghet.accounts.policy import Capability, can, department_of, sees_personal_data

NOTHING = Q(pk__in=[])
Scoped = TypeVar("Scoped", bound=QuerySet)


def _department_scope(user: User, *, path: str) -> Q | None:
    """All rows for those who read the whole register (None: no restriction); a property
    owner's own department; nothing for anyone else. `path` leads from the row to its
    department."""
    if can(user, Capability.VIEW_PROPERTIES):
        return None
    department = department_of(user)
    return Q(**{path: department}) if department else NOTHING


def _scoped(queryset: Scoped, user: User, *, path: str) -> Scoped:
    scope = _department_scope(user, path=path)
    return queryset if scope is None else queryset.filter(scope)


def department_filter_for(user: User) -> QuerySet[Department] | None:
    """The departments a list of buildings or deviations can be narrowed to; None for those
    who see one department's rows at most (a property owner)."""
    if _department_scope(user, path="department") is not None:
        return None
    return departments_for_user(user)


def properties_for_user(user: User) -> PropertyQuerySet:
    """The register as the user may read it. Hosts see every active building: they check them."""
    queryset = Property.objects.select_related("department")
    if not can(user, Capability.VIEW_PROPERTIES) and can(user, Capability.WORK_SHIFTS):
        return queryset.active()
    return _scoped(queryset, user, path="department")


def checks_for_user(user: User) -> QuerySet[PropertyCheck]:
    """Checks the user may read; a host reads the checks they made."""
    queryset = PropertyCheck.objects.select_related("property__department", "checked_by")
    if not can(user, Capability.VIEW_PROPERTIES) and can(user, Capability.WORK_SHIFTS):
        return queryset.filter(checked_by=user)
    return _scoped(queryset, user, path="property__department")


def deviations_for_user(user: User) -> DeviationQuerySet:
    """Deviations the user may read: all for the register's readers, the own department's for
    a property owner, none for anyone else."""
    queryset = Deviation.objects.select_related("property__department")
    return _scoped(queryset, user, path="property__department")


def personal_data_for(user: User) -> bool:
    """The chief and the hosts see personal data; so do the property owners, who need to know
    what was found at their own department's buildings to follow it up. Report programs read
    the checks and deviations without it."""
    return sees_personal_data(user) or can(user, Capability.FOLLOW_UP_DEVIATIONS)


def get_property_for_user(user: User, pk: int) -> Property:
    return get_object_or_404(properties_for_user(user), pk=pk)


def get_property_to_check(user: User, pk: int) -> Property:
    """An active building to check: hosts check every department's buildings."""
    return get_object_or_404(properties_for_user(user).active(), pk=pk)


def get_deviation_for_user(user: User, pk: int) -> Deviation:
    return get_object_or_404(
        deviations_for_user(user).select_related("property_check__checked_by"), pk=pk
    )


def can_manage_register(user: User) -> bool:
    return can(user, Capability.MANAGE_PROPERTIES)


def can_follow_up(user: User, deviation: Deviation) -> bool:
    """The chief follows up every deviation; an owner those of their department's buildings."""
    if can(user, Capability.MANAGE_PROPERTIES):
        return True
    department = department_of(user)
    return department is not None and deviation.property.department_id == department.pk


def can_see_access_notes(user: User) -> bool:
    """Keys and codes: only for the security chief and for a host who is on a shift now."""
    if can(user, Capability.MANAGE_PROPERTIES):
        return True
    return can(user, Capability.WORK_SHIFTS) and active_shift_for(user) is not None
