import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygghet.accounts.capabilities import Capability
from trygghet.accounts.models import (
    ApiToken,
    ProviderGroup,
    ProviderIdentity,
    User,
    UserSession,
)
from trygghet.accounts.roles import GROUP_NAMES, ROLE_CAPABILITIES, Role

KEY_PREFIX = "tg_"


def api_token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token and return it with its key; the key is not stored and cannot be shown again.

    A forgotten token in a script is a key that works for ever; so every token ends, by default
    API_TOKEN_LIFETIME_DAYS after it was made."""
    if expires_at is None:
        expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    secret = secrets.token_urlsafe(32)
    key = f"{KEY_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at,
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


# --- Single sign-on


class SignInRefused(Exception):
    """A sign-in through the identity provider that is refused; the message says why, for the
    person signing in."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _claimed_groups(claims: dict, name: str) -> list[str]:
    groups = claims.get(name, [])
    # ADFS sends a single group as a string, several as a list.
    if isinstance(groups, str):
        return [groups]
    return [group for group in groups if isinstance(group, str)] if isinstance(groups, list) else []


def _claim(claims: dict, name: str, length: int) -> str:
    value = claims.get(name)
    return value[:length] if isinstance(value, str) else ""


def _new_username(claims: dict, issuer: str, subject: str) -> str:
    """A readable username that no one has: the provider's username, else e-mail, else subject;
    with a suffix from the subject when a local account already has it (which is never matched)."""
    wanted = (
        _claim(claims, "preferred_username", 130) or _claim(claims, "email", 130) or subject[:130]
    )
    if not User.objects.filter(username=wanted).exists():
        return wanted
    return f"{wanted}-{hashlib.sha256(f'{issuer} {subject}'.encode()).hexdigest()[:10]}"


def _set_roles(user: User, roles: Iterable[Role]) -> None:
    """The user's role groups become exactly `roles`; other groups the admin gave stay."""
    others = user.groups.exclude(name__in=GROUP_NAMES.values())
    role_groups = Group.objects.filter(name__in=[GROUP_NAMES[role] for role in roles])
    user.groups.set([*others, *role_groups])


def provider_user_sign_in(*, issuer: str, subject: str, claims: dict) -> User:
    """The user the provider vouches for, made or updated from the claims: name, e-mail, and
    role, department and partner organisation from the groups (ProviderGroup), on every sign-in.

    Refused (SignInRefused) when no group gives a role that uses the web pages: no account is
    made, and an existing one loses its roles and sessions, so nothing half-working is left."""
    names = _claimed_groups(claims, settings.OIDC_GROUPS_CLAIM)
    mapped = list(
        ProviderGroup.objects.filter(name__in=names).select_related("department", "organisation")
    )
    roles = {Role(group.role) for group in mapped if group.role}
    departments = {group.department for group in mapped if group.department}
    organisations = {group.organisation for group in mapped if group.organisation}
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if not any(Capability.USE_WEB in ROLE_CAPABILITIES[role] for role in roles):
        if identity is not None:
            with transaction.atomic():
                _set_roles(identity.user, [])
                user_sessions_end(user=identity.user)
        raise SignInRefused(
            _(
                "Your account at the municipality is not in any group that gives a role in "
                "Trygghet. Ask your manager or IT support to add you to the right group."
            )
        )
    if len(departments) > 1:
        raise SignInRefused(
            _(
                "Your groups at the municipality name more than one department ({names}). "
                "Ask IT support to leave you in one."
            ).format(names=", ".join(sorted(department.name for department in departments)))
        )
    if len(organisations) > 1:
        raise SignInRefused(
            _(
                "Your groups at the municipality name more than one partner organisation "
                "({names}). Ask IT support to leave you in one."
            ).format(names=", ".join(sorted(org.name for org in organisations)))
        )
    if departments and organisations:
        raise SignInRefused(
            _(
                "Your groups at the municipality give both a department and a partner "
                "organisation. Ask IT support to leave you in one of them."
            )
        )
    if identity is not None and not identity.user.is_active:
        raise SignInRefused(_("Your account in Trygghet has been deactivated."))
    now = timezone.now()
    with transaction.atomic():
        if identity is None:
            user = User(username=_new_username(claims, issuer, subject))
            user.set_unusable_password()
        else:
            user = identity.user
        user.first_name = _claim(claims, "given_name", 150)
        user.last_name = _claim(claims, "family_name", 150)
        user.email = _claim(claims, "email", 254)
        user.department = next(iter(departments), None)
        user.organisation = next(iter(organisations), None)
        user.save()
        ProviderIdentity.objects.update_or_create(
            issuer=issuer,
            subject=subject,
            defaults={"user": user, "last_sign_in_at": now},
        )
        _set_roles(user, roles)
    return user


# --- Sessions


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def user_session_start(*, user: User, session_key: str, user_agent: str, address: str) -> None:
    """Note a new sign-in for the sessions page, and forget the notes of sessions that have
    ended meanwhile (they hold a device and an address, which are not kept longer)."""
    now = timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    UserSession.objects.exclude(session_key__in=live).delete()
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": user_agent[:500],
            "address": _address(address),
            "signed_in_at": now,
            "last_activity": now,
        },
    )


def user_session_touch(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).update(last_activity=timezone.now())


def user_sessions_end(*, user: User, keep: str | None = None) -> int:
    """Sign the user out everywhere (but in the session `keep`); how many sessions ended."""
    sessions = UserSession.objects.filter(user=user)
    if keep is not None:
        sessions = sessions.exclude(session_key=keep)
    keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    return len(keys)


def user_password_changed(*, user: User, session_before: str | None, session_now: str | None):
    """Whoever knew the old password is signed out: every session of the user ends but the one
    the change was made in (whose key the change renewed, from `session_before` to
    `session_now`)."""
    user_sessions_end(user=user, keep=session_before)
    if session_now is not None and session_now != session_before:
        UserSession.objects.filter(session_key=session_before).update(session_key=session_now)


def user_session_end(*, user_session: UserSession) -> None:
    Session.objects.filter(session_key=user_session.session_key).delete()
    user_session.delete()
