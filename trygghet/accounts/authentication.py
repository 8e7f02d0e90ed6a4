from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from trygghet.accounts.models import ApiToken

# Recording every use would add a write to every API request; once a minute is enough to see
# which tokens are still in use.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a hashed, named, revocable ApiToken."""

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from error
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                gettext("This token expired on {date}. Ask for a new one.").format(
                    date=formats.date_format(timezone.localtime(token.expires_at), "j F Y")
                )
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
