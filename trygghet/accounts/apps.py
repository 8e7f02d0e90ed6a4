from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "trygghet.accounts"
    label = "accounts"
    verbose_name = _("Users and organisation")

    def ready(self) -> None:
        from trygghet.accounts import schema  # noqa: F401  (registers the OpenAPI extension)
