from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import NavItem
from trygghet.accounts.policy import Capability


class PublicConfig(AppConfig):
    name = "trygghet.public"
    label = "public"
    verbose_name = _("Public page")
    nav_items = [
        NavItem(_("Public page"), "public:text-list", (Capability.EDIT_PUBLIC_TEXTS,), order=900)
    ]
