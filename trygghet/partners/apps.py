from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability


class PartnersConfig(AppConfig):
    name = "trygghet.partners"
    label = "partners"
    verbose_name = _("EST partners")
    nav_items = [
        NavItem(
            _("Partner organisations"),
            "organisations:organisation-list",
            (Capability.MANAGE_ORGANISATIONS,),
            order=25,
        )
    ]
    start_panels = [
        StartPanel(
            "partners/_start_scope.html",
            kinds=("partner",),
            context="trygghet.partners.organisations.panels.scope",
            order=1,
        )
    ]
    demo_data = "trygghet.partners.demo.build"
