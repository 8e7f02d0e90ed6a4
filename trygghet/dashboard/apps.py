from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability


class DashboardConfig(AppConfig):
    name = "trygghet.dashboard"
    label = "dashboard"
    verbose_name = _("Situational picture")

    nav_items = (
        NavItem(
            _("Situational picture"),
            "dashboard:lagesbild",
            (Capability.VIEW_LAGESBILD,),
            order=10,
        ),
    )
    start_panels = (
        StartPanel(
            template="dashboard/_panel_last_night.html",
            kinds=("chief", "partner"),
            context="trygghet.dashboard.panels.last_night",
            order=5,
        ),
        StartPanel(
            template="dashboard/_panel_week.html",
            kinds=("chief",),
            context="trygghet.dashboard.weeks.panel",
            order=6,
        ),
    )
