from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.navigation import StartPanel


class AccountsConfig(AppConfig):
    name = "trygghet.accounts"
    label = "accounts"
    verbose_name = _("Users and organisation")
    demo_data = "trygghet.accounts.demo.build"
    start_panels = [StartPanel("accounts/_start_admin.html", kinds=("admin",), order=10)]

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from trygghet.accounts import (  # noqa: F401  (register the OpenAPI extension, the signal)
            schema,
            sessions,
        )
        from trygghet.accounts.roles import Role

        unknown = set(settings.OIDC_REQUIRED_FOR_ROLES) - set(Role.values)
        if unknown:
            raise ImproperlyConfigured(
                f"OIDC_REQUIRED_FOR_ROLES: no role {', '.join(sorted(unknown))}; "
                f"the roles are {', '.join(Role.values)}."
            )
