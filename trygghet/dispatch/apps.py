from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability


class DispatchConfig(AppConfig):
    name = "trygghet.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch")
    demo_data = "trygghet.dispatch.demo.build"
    retention = "trygghet.dispatch.retention.purge"
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
        StartPanel(
            "dispatch/_share_panel.html",
            kinds=("host",),
            context="trygghet.dispatch.panels.position_sharing",
            order=36,
        ),
    ]
