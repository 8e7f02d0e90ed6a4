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
        ),
        # The departments' way to the actions given to them; the chief and the partners reach
        # them from the lägesbild too.
        NavItem(
            _("Actions"),
            "assessments:action-list",
            (
                Capability.WRITE_ASSESSMENTS,
                Capability.COMMENT_ASSESSMENTS,
                Capability.FOLLOW_UP_DEVIATIONS,
            ),
            order=12,
        ),
        NavItem(
            _("Weekly reports"),
            "partners:report-list",
            (Capability.REPORT_WEEKLY, Capability.REPORT_FOR_ORGANISATIONS),
            order=75,
        ),
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
