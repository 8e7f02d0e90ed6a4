from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import StartPanel


class ApiConfig(AppConfig):
    name = "trygghet.api"
    label = "api"
    verbose_name = _("API")
    start_panels = [StartPanel("api/_start_api.html", kinds=("admin", "partner"), order=900)]
