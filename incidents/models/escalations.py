"""Calls for help: the numbers the hosts call and the record of each call on an incident. Apart
from the incident because the response times are figures of their own and the numbers are
reference data the admin edits."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.incidents import Incident
from trygghet.core.parsing import LONG_TEXT, readable_moments


class Service(models.TextChoices):
    """Who the hosts call for help. They have no powers of their own."""

    EMERGENCY = "emergency", _("112")
    POLICE = "police", _("Police")
    SECURITY = "security", _("Security guards")
    AMBULANCE = "ambulance", _("Ambulance")
    RESCUE = "rescue", _("Rescue service")
    # The municipality's on-call lines are separate services with numbers of their own.
    SOCIAL_ON_CALL = "social_on_call", _("Social services on-call")
    PROPERTY_ON_CALL = "property_on_call", _("Property on-call")
    STREETS_ON_CALL = "streets_on_call", _("Streets and parks on-call")
    # Calls recorded before the lines were told apart, and any other municipal line.
    MUNICIPAL_ON_CALL = "municipal_on_call", _("Other municipal on-call")


@pghistory.track(
    pghistory.InsertEvent("created"),
    pghistory.UpdateEvent("changed"),
    pghistory.DeleteEvent("deleted"),
    model_name="ServiceNumberEvent",
)
class ServiceNumber(models.Model):
    """A number the hosts call for help: 112, the police's 114 14, the security company, the
    municipal on-call lines. Data the chief edits; every change is kept with who made it."""

    service = models.CharField(_("service"), max_length=20, choices=Service)
    name = models.CharField(_("name"), max_length=80)
    number = models.CharField(_("number"), max_length=20)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service number")
        verbose_name_plural = _("service numbers")
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="service_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def tel_uri(self) -> str:
        return "tel:" + "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


class Escalation(models.Model):
    """A call for help on an incident: which service, when it was called and when it arrived."""

    PERSONAL_FIELDS = ("note", "recorded_by")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="escalations"
    )
    service = models.CharField(_("service"), max_length=20, choices=Service)
    service_number = models.ForeignKey(
        ServiceNumber,
        verbose_name=_("number called"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    called_at = models.DateTimeField(_("called at"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    reference = models.CharField(_("their reference number"), max_length=50, blank=True)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = _("call for help")
        verbose_name_plural = _("calls for help")
        constraints = [
            *readable_moments("called_at", "arrived_at", "created_at"),
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=models.F("called_at")),
                name="escalation_arrived_after_called",
            ),
        ]
        indexes = [models.Index(fields=["called_at"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()} – {self.incident_id}"
