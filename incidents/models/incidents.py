"""The incident itself and what hangs off it alone: its photos, its follow-up timeline and its
history. These change together when what an incident records changes; the calls for help and
the contacts only point at it."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from incidents.models.categories import Category, CategoryKind, Severity
from patrols.models import AreaVersion, Shift
from patrols.positions import Positioned
from trygghet.core.models import LegalHold
from trygghet.core.parsing import LONG_TEXT, readable_moments


class Source(models.TextChoices):
    OWN_OBSERVATION = "own_observation", _("Own observation")
    CITIZEN_CALL = "citizen_call", _("Citizen call")
    NIGHT_BUTTON = "night_button", _("Night button")
    PROPERTY_CHECK = "property_check", _("Property check")
    PARTNER = "partner", _("Partner")


class FollowUpState(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class IncidentQuerySet(models.QuerySet["Incident"]):
    def open(self):
        return self.exclude(state=FollowUpState.CLOSED)

    def of_kind(self, kind: CategoryKind):
        return self.filter(category__kind=kind)

    def with_escalation_count(self):
        # The calls for help point at Incident, so their module imports this one; the reverse
        # relation reaches them without importing it back.
        escalation = self.model.escalations.field.model
        count = (
            escalation._default_manager.filter(incident=models.OuterRef("pk"))
            .order_by()
            .values("incident")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            escalation_count=Coalesce(models.Subquery(count, output_field=models.IntegerField()), 0)
        )


# What the history keeps: the content of an incident, not its follow-up state (which has rows
# of its own). Each change stores the row as it was before it, so the original text of a
# bulk-loaded incident is kept too.
HISTORY_FIELDS = [
    "occurred_at",
    "category",
    "severity",
    "latitude",
    "longitude",
    "area",
    "place_text",
    "description",
    "people_count",
    "people_involved",
    "source",
    "shift",
]


@pghistory.track(
    pghistory.UpdateEvent("changed", row=pghistory.Old),
    fields=HISTORY_FIELDS,
    model_name="IncidentVersion",
    obj_field=pghistory.ObjForeignKey(related_name="versions"),
)
class Incident(LegalHold, Positioned):
    """An observation (händelse) logged by a host, usually from a phone during a shift."""

    # Fields that may describe people; only roles with VIEW_PERSONAL_DATA get them, along with
    # photos and the reporting host's identity (see permissions.incident_fields_for).
    PERSONAL_FIELDS = ("place_text", "description", "people_involved", "reported_by")

    occurred_at = models.DateTimeField(_("occurred at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="incidents"
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity)
    # The boundary the area had when the incident was placed in it, so the figures of an area
    # whose boundary later moved can still be read against the outline they were counted in.
    area_version = models.ForeignKey(
        AreaVersion,
        verbose_name=_("area version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    people_count = models.PositiveSmallIntegerField(
        _("number of people involved"), null=True, blank=True
    )
    people_involved = models.TextField(
        _("people involved"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Who was involved, as far as it matters. Personal data: keep it short."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source, default=Source.OWN_OBSERVATION
    )
    state = models.CharField(
        _("follow-up"), max_length=12, choices=FollowUpState, default=FollowUpState.NEW
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            *readable_moments("occurred_at", "created_at"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_position_complete",
            ),
        ]
        indexes = [
            # Lists and exports read by time; the lägesbild counts a period's incidents by area,
            # category and place from this index alone, never visiting the rows.
            models.Index(
                fields=["occurred_at"],
                include=["area", "category", "latitude", "longitude"],
                name="incident_by_time",
            ),
            models.Index(fields=["area", "occurred_at"]),
            models.Index(fields=["category", "occurred_at"]),
            models.Index(fields=["shift"]),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.occurred_at), "SHORT_DATETIME_FORMAT")
        return f"{self.category} {when}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident-detail", args=[self.pk])


class IncidentPhoto(models.Model):
    """A photo of an incident, stored without metadata and served only through a view that
    checks access (never from a public URL)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to="incidents/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        constraints = readable_moments("uploaded_at")
        ordering = ["uploaded_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return str(self.image)

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident-photo", args=[self.incident_id, self.pk])


class FollowUp(models.Model):
    """One step of an incident's follow-up (new → in progress → closed) with its note. The rows
    are the timeline; Incident.state points at the latest."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    state = models.CharField(_("state"), max_length=12, choices=FollowUpState)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        constraints = readable_moments("at")
        ordering = ["at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.get_state_display()}"
