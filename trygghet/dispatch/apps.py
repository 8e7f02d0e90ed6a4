from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.policy import Capability
from trygghet.core.navigation import NavItem, StartPanel


class DispatchConfig(AppConfig):
    name = "trygghet.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch")
    nav_items = [
        NavItem(_("Dispatch"), "dispatch:board", (Capability.DISPATCH,), order=15),
    ]
    start_panels = [
        # Above everything else on the host's page: a new call-out is what matters most.
        StartPanel(
            "dispatch/_host_panel.html",
            kinds=("host",),
            context="trygghet.dispatch.panels.host_tasks",
            order=5,
        ),
    ]
