"""Writes of push: a device's subscription made and removed, and notifications handed to the
background worker. The sending itself is delivery.py's, run by the worker (tasks.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trygghet.accounts.models import User, UserSession
from trygghet.push import tasks
from trygghet.push.models import PushSubscription


@dataclass(frozen=True)
class Message:
    """What a notification shows and opens. It names no person: the page it opens shows the
    details after sign-in. Notifications with the same tag replace each other on the phone."""

    title: str
    body: str
    url: str
    tag: str


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def subscription_save(
    *, user: User, session_key: str | None, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """This device's subscription, for this session. A browser keeps its endpoint until it
    unsubscribes, so a phone passed to a colleague (or signed in again) takes it over."""
    if not push_enabled():
        raise ValidationError(_("Notifications are not turned on here."), code="push_off")
    user_session = UserSession.objects.filter(session_key=session_key, user=user).first()
    if user_session is None:
        raise ValidationError(
            _("Sign out and in again to turn on notifications."), code="no_session"
        )
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "user_session": user_session,
            "p256dh": p256dh,
            "auth": auth,
        },
    )
    return subscription


def subscription_delete(*, subscription: PushSubscription) -> None:
    subscription.delete()


def push_notify(*, users: Iterable[int], message: Message, event_at: datetime) -> int:
    """One job per device of these users, deferred in the caller's transaction: the
    notification goes only if what it is about is saved, and never holds up the request.
    Returns how many; none while push is off."""
    if not push_enabled():
        return 0
    devices = list(
        PushSubscription.objects.filter(user__in=list(users)).values_list("pk", flat=True)
    )
    for subscription_id in devices:
        tasks.push_send.defer(
            subscription_id=subscription_id, event_at=event_at.isoformat(), **asdict(message)
        )
    return len(devices)
