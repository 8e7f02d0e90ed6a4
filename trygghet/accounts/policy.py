"""Who may do what: the one place where capabilities are named and checked.

Each app's permissions.py builds its object rules on these; views, the API and templates ask here
instead of looking at roles or groups.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trygghet.accounts.models import Department, User


class Capability(StrEnum):
    USE_WEB = "accounts.use_web"
    PLAN_PATROLS = "accounts.plan_patrols"
    VIEW_PATROLS = "accounts.view_patrols"
    WORK_SHIFTS = "accounts.work_shifts"
    MANAGE_INCIDENTS = "accounts.manage_incidents"
    VIEW_INCIDENTS = "accounts.view_incidents"
    VIEW_PERSONAL_DATA = "accounts.view_personal_data"
    MANAGE_PROPERTIES = "accounts.manage_properties"
    VIEW_PROPERTIES = "accounts.view_properties"
    FOLLOW_UP_DEVIATIONS = "accounts.follow_up_deviations"
    DISPATCH = "accounts.dispatch"
    VIEW_LAGESBILD = "accounts.view_lagesbild"
    EDIT_PUBLIC_TEXTS = "accounts.edit_public_texts"


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
    if not can(user, Capability.FOLLOW_UP_DEVIATIONS):
        return None
    return user.department


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
    ):
        if can(user, capability):
            return kind
    return None
