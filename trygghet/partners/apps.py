from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem
from trygghet.accounts.policy import Capability


class PartnersConfig(AppConfig):
    name = "trygghet.partners"
    label = "partners"
    verbose_name = _("EST partners")
    demo_data = "trygghet.partners.assessments.demo.build"

    nav_items = (
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
    )
