"""The roles the README lists under "What it does, for whom", as groups of capabilities.
Code checks capabilities (policy.py), not roles.

A data migration calls sync_role_groups(); a change to ROLES needs a new migration that calls it again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CHIEF = "chief", _("Security chief")
    HOST = "host", _("Safety host")
    PROPERTY_OWNER = "property_owner", _("Property owner")
    PARTNER = "partner", _("Partner")
    REPORT_CLIENT = "report_client", _("Report client")


# Group names are what the admin shows; they are Swedish because the municipality's admins are.
GROUP_NAMES = {
    Role.CHIEF: "Säkerhetschef",
    Role.HOST: "Trygghetsvärd",
    Role.PROPERTY_OWNER: "Fastighetsförvaltare",
    Role.PARTNER: "Samverkanspart",
    Role.REPORT_CLIENT: "Rapportklient",
}

ROLE_CAPABILITIES = {
    Role.CHIEF: [
        "use_web",
        "plan_patrols",
        "view_patrols",
        "manage_incidents",
        "view_incidents",
        "view_personal_data",
        "manage_properties",
        "view_properties",
        "dispatch",
        "view_lagesbild",
        "edit_public_texts",
    ],
    Role.HOST: ["use_web", "work_shifts", "view_personal_data"],
    Role.PROPERTY_OWNER: ["use_web", "follow_up_deviations"],
    Role.PARTNER: ["use_web", "view_patrols", "view_incidents", "view_lagesbild"],
    # A program: reads everything a report needs, never personal data, never the web pages.
    Role.REPORT_CLIENT: ["view_patrols", "view_incidents", "view_properties", "view_lagesbild"],
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create or update the role groups with exactly their capabilities (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    user_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="user")
    for role, codenames in ROLE_CAPABILITIES.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = [
            Permission.objects.get_or_create(
                content_type=user_type, codename=codename, defaults={"name": codename}
            )[0]
            for codename in codenames
        ]
        group.permissions.set(permissions)
