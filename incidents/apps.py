from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability

READERS = (Capability.MANAGE_INCIDENTS, Capability.VIEW_INCIDENTS, Capability.WORK_SHIFTS)


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")
    demo_data = "incidents.demo.build"
    retention = "incidents.retention.purge"
    nav_items = [
        NavItem(_("Incidents"), "incidents:incident-list", READERS, order=30),
        NavItem(_("Citizen contacts"), "incidents:citizen-contact-list", READERS, order=40),
        NavItem(_("Night button"), "incidents:night-button", READERS, order=50),
        NavItem(
            _("Street issues"),
            "incidents:department-task-list",
            (Capability.MANAGE_INCIDENTS, Capability.FOLLOW_UP_DEVIATIONS),
            order=55,
        ),
    ]
    start_panels = [
        StartPanel(
            "incidents/_start_host.html",
            kinds=("host",),
            context="incidents.selectors.host_start_panel",
            order=10,
        ),
        # Below tonight's areas: looking back matters less than what to log and where to go.
        StartPanel(
            "incidents/_start_logged.html",
            kinds=("host",),
            context="incidents.selectors.host_logged_panel",
            order=40,
        ),
    ]
