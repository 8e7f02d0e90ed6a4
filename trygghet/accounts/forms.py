from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.policy import Capability, can


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "api_only": _(
            "This account is for programs using the API and cannot sign in to the web pages."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not can(user, Capability.USE_WEB):
            raise forms.ValidationError(self.error_messages["api_only"], code="api_only")
