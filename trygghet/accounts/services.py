import secrets

from django.db import transaction
from django.utils import timezone

from trygghet.accounts.models import ApiToken, User

KEY_PREFIX = "tg_"


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its key; the key is not stored and cannot be shown again."""
    secret = secrets.token_urlsafe(32)
    key = f"{KEY_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
