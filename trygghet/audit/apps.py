from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem, StartPanel
from trygghet.accounts.policy import Capability


class AuditConfig(AppConfig):
    name = "trygghet.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    retention = "trygghet.audit.retention.purge"
    nav_items = [
        NavItem(_("Audit trail"), "audit:trail", (Capability.VIEW_AUDIT_TRAIL,), order=90),
    ]
    start_panels = [StartPanel("audit/_start_dpo.html", kinds=("dpo", "admin"), order=20)]
