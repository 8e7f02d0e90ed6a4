"""Who may do what: the one place where capabilities are named and checked.

Each app's permissions.py builds its object rules on these; views, the API and templates ask here
instead of looking at roles or groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trygghet.accounts.models import Department, User


class Capability(models.TextChoices):
    """Each capability is a permission of the User model (its Meta lists these) that the role
    groups hold (roles.py); the value is the name `has_perm` knows it by."""

    USE_WEB = "accounts.use_web", _("Can use the web pages")
    PLAN_PATROLS = "accounts.plan_patrols", _("Can plan areas, assignments and shifts")
    VIEW_PATROLS = "accounts.view_patrols", _("Can see areas, assignments and shifts")
    WORK_SHIFTS = "accounts.work_shifts", _("Can work shifts and log in the field")
    MANAGE_INCIDENTS = "accounts.manage_incidents", _("Can edit and follow up all incidents")
    VIEW_INCIDENTS = "accounts.view_incidents", _("Can see incidents without personal data")
    VIEW_PERSONAL_DATA = "accounts.view_personal_data", _("Can see personal data")
    MANAGE_PROPERTIES = "accounts.manage_properties", _("Can edit the property register")
    VIEW_PROPERTIES = (
        "accounts.view_properties",
        _("Can see the property register, checks and deviations"),
    )
    FOLLOW_UP_DEVIATIONS = (
        "accounts.follow_up_deviations",
        _("Can follow up the own department's deviations"),
    )
    DISPATCH = "accounts.dispatch", _("Can create and dispatch requests")
    VIEW_LAGESBILD = "accounts.view_lagesbild", _("Can see the situational picture")
    EDIT_PUBLIC_TEXTS = "accounts.edit_public_texts", _("Can edit the texts of the public page")

    @property
    def codename(self) -> str:
        """The permission's own name, without the app label."""
        return self.value.partition(".")[2]


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
