"""The audit trail of reads: who was shown which personal data, when, from where and why.

Rows are only ever added. A trigger in the database (migration 0001) refuses to change them and
refuses to delete them except inside the retention step (retention.py), and then only rows older
than the trail's hard floor, so no code path and no one at a SQL prompt can quietly edit it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.models import ApiToken


class Reason(models.TextChoices):
    """Why a record outside the reader's own work was opened."""

    FOLLOW_UP = "follow_up", _("Follow-up of the case")
    POLICE_REQUEST = "police_request", _("Request from the police or another authority")
    RESIDENT_REQUEST = "resident_request", _("The resident's own request (register extract)")
    COMPLAINT = "complaint", _("Complaint or correction")
    PLANNING = "planning", _("Planning or handover between shifts")
    OTHER = "other", _("Other (described below)")


class Read(models.Model):
    """One request that showed personal data: a record (subject) or a list (its filter and how
    many rows it showed)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # PROTECT: a user who has read personal data is deactivated, never deleted, so the trail
    # keeps naming them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A revoked token may be deleted later; its reads keep its number.
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.BigIntegerField(_("record"), null=True, blank=True)
    what = models.CharField(_("what"), max_length=200)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows shown"), null=True, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason, blank=True)
    reason_note = models.CharField(_("reason, in words"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.what}"


class TokenUse(models.Model):
    """One API request made with a token (partners' and report programs' included), whatever
    it read: the programs' reads of figures are not personal data, but which key was used when
    and for what is the data protection officer's to see."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("use of an API token")
        verbose_name_plural = _("uses of API tokens")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.token_id} {self.method} {self.path} {self.status}"
