"""The roles the README lists under "What it does, for whom", as groups of capabilities.
Code checks capabilities (policy.py), not roles.

A data migration calls sync_role_groups(); a change to ROLES needs a new migration that calls it again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.capabilities import Capability


class Role(models.TextChoices):
    CHIEF = "chief", _("Security chief")
    HOST = "host", _("Safety host")
    PROPERTY_OWNER = "property_owner", _("Property owner")
    PARTNER = "partner", _("Partner")
    REPORT_CLIENT = "report_client", _("Report client")
    DATA_PROTECTION_OFFICER = "dpo", _("Data protection officer")


# Group names are what the admin shows; they are Swedish because the municipality's admins are.
GROUP_NAMES = {
    Role.CHIEF: "Säkerhetschef",
    Role.HOST: "Trygghetsvärd",
    Role.PROPERTY_OWNER: "Fastighetsförvaltare",
    Role.PARTNER: "Samverkanspart",
    Role.REPORT_CLIENT: "Rapportklient",
    Role.DATA_PROTECTION_OFFICER: "Dataskyddsombud",
}

ROLE_CAPABILITIES = {
    Role.CHIEF: [
        Capability.USE_WEB,
        Capability.PLAN_PATROLS,
        Capability.VIEW_PATROLS,
        Capability.MANAGE_INCIDENTS,
        Capability.VIEW_INCIDENTS,
        Capability.VIEW_PERSONAL_DATA,
        Capability.MANAGE_PROPERTIES,
        Capability.VIEW_PROPERTIES,
        Capability.DISPATCH,
        Capability.VIEW_LAGESBILD,
        Capability.EDIT_PUBLIC_TEXTS,
        Capability.PLACE_LEGAL_HOLD,
        Capability.MANAGE_ORGANISATIONS,
        Capability.WRITE_ASSESSMENTS,
        Capability.REPORT_FOR_ORGANISATIONS,
    ],
    Role.HOST: [Capability.USE_WEB, Capability.WORK_SHIFTS, Capability.VIEW_PERSONAL_DATA],
    Role.PROPERTY_OWNER: [Capability.USE_WEB, Capability.FOLLOW_UP_DEVIATIONS],
    Role.PARTNER: [
        Capability.USE_WEB,
        Capability.VIEW_PATROLS,
        Capability.VIEW_INCIDENTS,
        Capability.VIEW_LAGESBILD,
        Capability.WITHIN_ORGANISATION_SCOPE,
        Capability.COMMENT_ASSESSMENTS,
        Capability.REPORT_WEEKLY,
    ],
    # A program: reads everything a report needs, never personal data, never the web pages.
    Role.REPORT_CLIENT: [
        Capability.VIEW_PATROLS,
        Capability.VIEW_INCIDENTS,
        Capability.VIEW_PROPERTIES,
        Capability.VIEW_LAGESBILD,
    ],
    # Who read what, when and why, and what retention removed: never the records themselves.
    Role.DATA_PROTECTION_OFFICER: [Capability.USE_WEB, Capability.VIEW_AUDIT_TRAIL],
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create or update the role groups with exactly their capabilities (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    user_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="user")
    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = [
            Permission.objects.get_or_create(
                content_type=user_type,
                codename=capability.codename,
                defaults={"name": capability.codename},
            )[0]
            for capability in capabilities
        ]
        group.permissions.set(permissions)
