from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem
from trygghet.accounts.policy import Capability


class PartnersConfig(AppConfig):
    name = "trygghet.partners"
    label = "partners"
    verbose_name = _("EST partners")

    nav_items = (
        NavItem(
            _("Weekly reports"),
            "partners:report-list",
            (Capability.REPORT_WEEKLY, Capability.REPORT_FOR_ORGANISATIONS),
            order=75,
        ),
    )
