from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "trygghet.partners"
    label = "partners"
    verbose_name = _("EST partners")
    demo_data = "trygghet.partners.demo.build"
