"""Web Push to the hosts' phones: one subscription per device, and a row for each push request
sent, with when it left, so the time from the event to the push service can be measured."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.models import UserSession
from trygghet.core.parsing import readable_moments

# Push services' endpoints are URLs of a few hundred characters (FCM's are about 200).
ENDPOINT_MAX = 1000


class PushSubscription(models.Model):
    """A phone's browser that asked to be woken for call-outs: the push service's endpoint and
    the keys the browser decrypts with (RFC 8291). It belongs to the session it was made in, so
    signing out there, ending that session from another device or a password change removes
    it with the session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    user_session = models.ForeignKey(
        UserSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=ENDPOINT_MAX, unique=True)
    p256dh = models.CharField(_("browser's public key"), max_length=100)
    auth = models.CharField(_("authentication secret"), max_length=50)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        constraints = readable_moments("created_at", "last_used_at")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    def info(self) -> dict:
        """The subscription as pywebpush and the browser's PushSubscription.toJSON() write it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushDelivery(models.Model):
    """One push request to one device: what it was about (the page it opens), when the event
    happened, when the request left for the push service and what that answered."""

    subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("push subscription"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    url = models.CharField(_("page"), max_length=200)
    event_at = models.DateTimeField(_("event at"))
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    # The push service's HTTP status; empty when it could not be reached.
    status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("push delivery")
        verbose_name_plural = _("push deliveries")
        constraints = readable_moments("event_at", "sent_at")

    def __str__(self) -> str:
        return f"{self.url} {self.sent_at:%Y-%m-%d %H:%M:%S}"

    @property
    def delay(self):
        """From the event (a call-out sent, a report received) to the push request leaving."""
        return self.sent_at - self.event_at
