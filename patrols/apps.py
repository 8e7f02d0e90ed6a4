from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability

PLAN = (Capability.PLAN_PATROLS,)


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = _("Patrols")
    demo_data = "patrols.demo.build"
    nav_items = [
        NavItem(_("Assignments"), "patrols:assignment-list", PLAN, order=20),
        NavItem(_("Areas"), "patrols:area-list", PLAN, order=21),
        NavItem(_("Shifts"), "patrols:shift-week", PLAN, order=22),
        NavItem(_("Presence"), "patrols:presence", PLAN, order=23),
        NavItem(_("My shifts"), "patrols:my-shifts", (Capability.WORK_SHIFTS,), order=20),
    ]
    start_panels = [
        StartPanel(
            "patrols/_panel_chief_tonight.html",
            kinds=("chief",),
            context="patrols.panels.chief_tonight",
            order=10,
        ),
        StartPanel(
            "patrols/_panel_shift.html",
            kinds=("host",),
            context="patrols.panels.my_shift",
            order=10,
        ),
        StartPanel(
            "patrols/_panel_tonight.html",
            kinds=("host",),
            context="patrols.panels.tonight",
            order=30,
        ),
    ]
