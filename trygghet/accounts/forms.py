from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.oidc import sso_enabled
from trygghet.accounts.policy import Capability, can
from trygghet.accounts.roles import GROUP_NAMES, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "api_only": _(
            "This account is for programs using the API and cannot sign in to the web pages."
        ),
        "provider_only": _(
            "Your role signs in with the municipality's account, not with a password here."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not can(user, Capability.USE_WEB):
            raise forms.ValidationError(self.error_messages["api_only"], code="api_only")
        required = [GROUP_NAMES[Role(role)] for role in settings.OIDC_REQUIRED_FOR_ROLES]
        if sso_enabled() and user.groups.filter(name__in=required).exists():
            raise forms.ValidationError(self.error_messages["provider_only"], code="provider_only")
