from binascii import Error as Base64Error

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygghet.push.models import ENDPOINT_MAX
from trygghet.push.vapid import b64url_decode

NOT_A_SUBSCRIPTION = _("This is not a push subscription from a browser.")


def _key(value: str, *, size: int) -> str:
    """A browser's key as it sent it (base64url), checked for its length in bytes."""
    try:
        raw = b64url_decode(value)
    except (Base64Error, ValueError) as error:
        raise ValidationError(NOT_A_SUBSCRIPTION, code="key") from error
    if len(raw) != size:
        raise ValidationError(NOT_A_SUBSCRIPTION, code="key")
    return value


class EndpointForm(forms.Form):
    endpoint = forms.URLField(max_length=ENDPOINT_MAX, assume_scheme="https")

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if settings.PUSH_HTTPS_ONLY and not endpoint.startswith("https://"):
            raise ValidationError(NOT_A_SUBSCRIPTION, code="endpoint")
        return endpoint


class SubscriptionForm(EndpointForm):
    """What PushSubscription.toJSON() gives: the endpoint, the browser's P-256 public key
    (65 bytes, uncompressed) and its 16-byte authentication secret."""

    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_p256dh(self) -> str:
        return _key(self.cleaned_data["p256dh"], size=65)

    def clean_auth(self) -> str:
        return _key(self.cleaned_data["auth"], size=16)
