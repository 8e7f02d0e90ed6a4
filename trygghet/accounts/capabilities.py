"""The capabilities, named once: the User model's permissions and the role groups are built from
this list, and policy.py (where the code asks for them) checks them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    VIEW_AUDIT_TRAIL = (
        "accounts.view_audit_trail",
        _("Can read the audit trail and the retention log"),
    )
    PLACE_LEGAL_HOLD = (
        "accounts.place_legal_hold",
        _("Can keep a record from retention under a legal hold"),
    )
    MANAGE_ORGANISATIONS = (
        "accounts.manage_organisations",
        _("Can manage the partner organisations and their scope"),
    )
    # A limit rather than a right: what its holders read is cut to their organisation's scope
    # (accounts/scope.py). Superusers hold every permission, so policy.organisation_scope leaves
    # them out.
    WITHIN_ORGANISATION_SCOPE = (
        "accounts.within_organisation_scope",
        _("Sees only what the own partner organisation's scope holds"),
    )
    WRITE_ASSESSMENTS = (
        "accounts.write_assessments",
        _("Can write the EST group's assessments and actions"),
    )
    COMMENT_ASSESSMENTS = (
        "accounts.comment_assessments",
        _("Can comment on the EST group's assessments for the own organisation"),
    )
    REPORT_WEEKLY = (
        "accounts.report_weekly",
        _("Can report the own organisation's events of a week"),
    )
    REPORT_FOR_ORGANISATIONS = (
        "accounts.report_for_organisations",
        _("Can read and enter every partner organisation's weekly report"),
    )

    @property
    def codename(self) -> str:
        """The permission's own name, without the app label."""
        return self.value.partition(".")[2]
