from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.policy import Capability
from trygghet.core.navigation import NavItem, StartPanel

READERS = (Capability.MANAGE_INCIDENTS, Capability.VIEW_INCIDENTS, Capability.WORK_SHIFTS)


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")
    nav_items = [
        NavItem(_("Incidents"), "incidents:incident-list", READERS, order=30),
        NavItem(_("Citizen contacts"), "incidents:citizen-contact-list", READERS, order=40),
        NavItem(_("Night button"), "incidents:night-button", READERS, order=50),
    ]
    start_panels = [
        StartPanel(
            "incidents/_start_host.html",
            kinds=("host",),
            context="incidents.selectors.host_start_panel",
            order=10,
        ),
    ]
