"""Who may do what: the one place where capabilities are checked (capabilities.py names them).

Each app's permissions.py builds its object rules on these; views, the API and templates ask here
instead of looking at roles or groups.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.db.models import QuerySet

from trygghet.accounts.capabilities import Capability
from trygghet.accounts.scope import Scope

if TYPE_CHECKING:
    from trygghet.accounts.models import Department, User

Records = TypeVar("Records", bound=QuerySet)

__all__ = [
    "Capability",
    "can",
    "department_of",
    "in_organisation_scope",
    "organisation_scope",
    "sees_personal_data",
    "start_page_kind",
]


def can(user: User | None, capability: Capability) -> bool:
    """True when an active, signed-in user holds the capability (superusers hold all)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(capability.value)
    )


def sees_personal_data(user: User | None) -> bool:
    return can(user, Capability.VIEW_PERSONAL_DATA)


def sees_contact_details(user: User | None) -> bool:
    """A department's or a building's contact e-mail address is often a person's own: it is
    for the municipality's staff who act on it (the chief, the hosts, the property owners),
    never for partners or report programs."""
    return sees_personal_data(user) or can(user, Capability.FOLLOW_UP_DEVIATIONS)


def department_of(user: User | None) -> Department | None:
    """The department whose buildings a property owner follows up, or None."""
    if user is None or not can(user, Capability.FOLLOW_UP_DEVIATIONS):
        return None
    return user.department


def organisation_scope(user: User | None) -> Scope | None:
    """The scope a partner reads in (their organisation's; an empty one when they belong to
    none), or None for everyone not held to one: the municipality's own staff, report programs
    and administrators."""
    if user is None or user.is_superuser or not can(user, Capability.WITHIN_ORGANISATION_SCOPE):
        return None
    return Scope(user.organisation)


def in_organisation_scope(
    user: User | None,
    queryset: Records,
    lookups: Mapping[str, str],
    *,
    moment: str | None = None,
    without: Collection[str] = (),
) -> Records:
    """`queryset` cut to a partner's organisation scope (Scope.q names the options); whole for
    everyone else."""
    scope = organisation_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(scope.q(lookups, moment=moment, without=without))


def start_page_kind(user: User) -> str | None:
    """Which start page the user gets: the first of their capabilities that has one.

    None for users who may not use the web pages (report clients, accounts without a role).
    """
    if not can(user, Capability.USE_WEB):
        return None
    if user.is_superuser:
        return "admin"
    for capability, kind in (
        (Capability.PLAN_PATROLS, "chief"),
        (Capability.WORK_SHIFTS, "host"),
        (Capability.FOLLOW_UP_DEVIATIONS, "owner"),
        (Capability.VIEW_LAGESBILD, "partner"),
        (Capability.VIEW_AUDIT_TRAIL, "dpo"),
    ):
        if can(user, capability):
            return kind
    return None
