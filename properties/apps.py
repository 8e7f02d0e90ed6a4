from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability


class PropertiesConfig(AppConfig):
    name = "properties"
    verbose_name = _("Properties")
    demo_data = "properties.demo.build"
    retention = "properties.retention.purge"

    nav_items = (
        NavItem(_("Tonight's round"), "properties:round", (Capability.WORK_SHIFTS,), order=30),
        NavItem(
            _("Properties"),
            "properties:property-list",
            (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS),
            order=60,
        ),
        NavItem(
            _("Deviations"),
            "properties:deviation-list",
            (Capability.MANAGE_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS),
            order=61,
        ),
        NavItem(
            _("Import register"),
            "properties:property-import",
            (Capability.MANAGE_PROPERTIES,),
            order=62,
        ),
        NavItem(
            _("Property figures"), "properties:figures", (Capability.VIEW_PROPERTIES,), order=63
        ),
    )
    start_panels = (
        StartPanel(
            template="properties/_start_round.html",
            kinds=("host",),
            context="properties.panels.round_panel",
            order=30,
        ),
        StartPanel(
            template="properties/_start_deviations.html",
            kinds=("owner", "chief"),
            context="properties.panels.deviations_panel",
            order=60,
        ),
    )
