"""The private address of a user's calendar feed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A calendar app reads the feed without signing in, so the address itself is the key: a
    random UUID per user. Making a new one is how the old address is revoked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
