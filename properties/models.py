"""The municipality's buildings, the hosts' checks of them after hours, and the deviations the
owning department follows up.

A deviation's follow-up is a short, fixed path (open → acknowledged → resolved). Each step is a
row in DeviationStep (who, when, note) and the deviation keeps a pointer to where it is now, so
the history is never rewritten; the database refuses steps outside the path.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patrols.models import Priority, Shift, Weekday
from patrols.positions import Located
from trygghet.accounts.models import Department
from trygghet.core.follow_up import (
    FollowedUp,
    FollowedUpQuerySet,
    FollowUpState,
    FollowUpStep,
    followed_up_constraints,
    step_constraints,
)
from trygghet.core.parsing import LONG_TEXT, readable_moments
from trygghet.core.time import localize, night_bounds, night_starts_at

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ChecklistItem(models.TextChoices):
    """What a host looks at, phrased as the state that is in order."""

    LOCKED = "locked", _("Doors locked")
    WINDOWS = "windows", _("Windows closed and whole")
    LIGHTS = "lights", _("Lights off")
    ALARM = "alarm", _("Alarm on")
    DAMAGE = "damage", _("No damage")
    GRAFFITI = "graffiti", _("No graffiti")
    INTRUSION = "intrusion", _("No signs of intrusion")


def all_checklist_items() -> list[str]:
    return list(ChecklistItem.values)


# The same items as found when they are not in order: what a deviation and its e-mail say.
FOUND = {
    ChecklistItem.LOCKED: _("Door unlocked"),
    ChecklistItem.WINDOWS: _("Window open or broken"),
    ChecklistItem.LIGHTS: _("Lights on"),
    ChecklistItem.ALARM: _("Alarm off"),
    ChecklistItem.DAMAGE: _("Damage"),
    ChecklistItem.GRAFFITI: _("Graffiti"),
    ChecklistItem.INTRUSION: _("Signs of intrusion"),
}


class ActionTaken(models.TextChoices):
    """What the host did about a deviation on the spot."""

    LOCKED = "locked", _("Locked it")
    SECURED = "secured", _("Closed a window or door")
    LIGHTS_OFF = "lights_off", _("Turned off the lights")
    CALLED_SECURITY = "called_security", _("Called the security company")
    CALLED_ON_CALL = "called_on_call", _("Called municipal on-call")
    CALLED_POLICE = "called_police", _("Called the police")
    REPORTED_ONLY = "reported_only", _("Nothing on the spot, reported only")


# One field per weekday, Monday first (date.weekday() order), so the register reads like the
# municipality's spreadsheet and the admin shows seven plain time inputs.
CLOSING_FIELDS = (
    "closes_monday",
    "closes_tuesday",
    "closes_wednesday",
    "closes_thursday",
    "closes_friday",
    "closes_saturday",
    "closes_sunday",
)


def _closing_field(verbose_name: StrOrPromise) -> models.TimeField:
    return models.TimeField(
        verbose_name,
        null=True,
        blank=True,
        help_text=_("Empty when closed all day."),
    )


class PropertyQuerySet(models.QuerySet["Property"]):
    def active(self):
        return self.filter(active=True)


class Property(Located):
    """A municipal building the hosts check after hours.

    Closing times belong to the operational night (noon to noon) of their weekday: Friday's 22:00
    is Friday evening and Friday's 01:00 is early Saturday morning, still Friday's night.
    """

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="properties",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    closes_monday = _closing_field(_("closes on Monday"))
    closes_tuesday = _closing_field(_("closes on Tuesday"))
    closes_wednesday = _closing_field(_("closes on Wednesday"))
    closes_thursday = _closing_field(_("closes on Thursday"))
    closes_friday = _closing_field(_("closes on Friday"))
    closes_saturday = _closing_field(_("closes on Saturday"))
    closes_sunday = _closing_field(_("closes on Sunday"))
    closed_dates = ArrayField(
        models.DateField(),
        verbose_name=_("closed days"),
        default=list,
        blank=True,
        help_text=_("Holidays and breaks when the building is closed all day."),
    )
    checklist = ArrayField(
        models.CharField(max_length=20, choices=ChecklistItem),
        verbose_name=_("what to check"),
        default=all_checklist_items,
    )
    contact_email = models.EmailField(
        _("contact for deviations"),
        blank=True,
        help_text=_("Empty: deviations go to the department's contact."),
    )
    access_notes = models.TextField(
        _("access notes"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "Keys, codes, entrances. Shown only to the security chief and to hosts on a shift."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PropertyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="property_unique_name"),
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="property_position_in_range",
            ),
            models.CheckConstraint(
                condition=Q(checklist__len__gt=0) & Q(checklist__contained_by=ChecklistItem.values),
                name="property_checklist_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("properties:property-detail", args=[self.pk])

    @property
    def closing_times(self) -> list[time | None]:
        return [getattr(self, field) for field in CLOSING_FIELDS]

    @property
    def weekly_hours(self) -> list[tuple[StrOrPromise, time | None]]:
        return list(zip(Weekday.labels, self.closing_times, strict=True))

    def closes_on(self, night: date) -> time | None:
        """The closing time of the night's weekday, or None when closed all that day."""
        if night in self.closed_dates:
            return None
        return self.closing_times[night.weekday()]

    def due_from(self, night: date) -> datetime:
        """When the building is due for a check in the operational night (UTC).

        A closing time before the night starts (noon) is after midnight, still in the night that
        started the day before. A building closed all day is due from the start of the night.
        """
        closes = self.closes_on(night)
        if closes is None:
            return night_bounds(night)[0]
        day = night if closes >= night_starts_at() else night + timedelta(days=1)
        return localize(day, closes)

    @property
    def deviation_contact(self) -> str:
        return self.contact_email or self.department.contact_email

    @property
    def checklist_items(self) -> list[ChecklistItem]:
        return [ChecklistItem(item) for item in self.checklist]


class PropertyCheck(models.Model):
    """A host's check of a building: one answer per checklist item. A building may be checked
    more than once a night; every check is kept."""

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="checks"
    )
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="property_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    results = models.JSONField(
        _("results"), help_text=_("Each checklist item and whether it was in order.")
    )
    ok = models.BooleanField(_("all in order"))
    # Sent by the phone with each submission, so a retry over a bad connection is recognised.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        constraints = readable_moments("checked_at")
        ordering = ["-checked_at", "-id"]
        verbose_name = _("property check")
        verbose_name_plural = _("property checks")
        indexes = [
            models.Index(fields=["checked_at"]),
            models.Index(fields=["property", "checked_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.property} – {timezone.localtime(self.checked_at):%Y-%m-%d %H:%M}"


# A deviation is followed up as every finding a department follows up is.
DeviationState = FollowUpState


DeviationQuerySet = FollowedUpQuerySet


class Deviation(FollowedUp):
    """Something not in order at a check: what was found, what the host did, and the owning
    department's follow-up.

    (Its derived values are methods, not properties: the field named `property` hides the
    built-in decorator inside the class body.)
    """

    property_check = models.OneToOneField(
        PropertyCheck,
        verbose_name=_("check"),
        on_delete=models.PROTECT,
        related_name="deviation",
    )
    # Copied from the check when it is made (neither ever changes), so that scoping by
    # department and the figures need no extra join.
    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="deviations"
    )
    items = ArrayField(
        models.CharField(max_length=20, choices=ChecklistItem), verbose_name=_("not in order")
    )
    description = models.TextField(_("what was found"), max_length=LONG_TEXT, blank=True)
    actions = ArrayField(
        models.CharField(max_length=20, choices=ActionTaken), verbose_name=_("what the host did")
    )
    action_note = models.TextField(_("note on what was done"), max_length=LONG_TEXT, blank=True)

    objects = DeviationQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        constraints = [
            *followed_up_constraints("deviation"),
            models.CheckConstraint(
                condition=Q(items__len__gt=0) & Q(items__contained_by=ChecklistItem.values),
                name="deviation_items_valid",
            ),
            models.CheckConstraint(
                condition=Q(actions__len__gt=0) & Q(actions__contained_by=ActionTaken.values),
                name="deviation_actions_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "found_at"])]

    def __str__(self) -> str:
        return f"{self.property} – {timezone.localtime(self.found_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("properties:deviation-detail", args=[self.pk])

    def found_labels(self) -> list[str]:
        return [str(FOUND[ChecklistItem(item)]) for item in self.items]

    def action_labels(self) -> list[str]:
        return [str(ActionTaken(action).label) for action in self.actions]


class DeviationStep(FollowUpStep):
    """One step of a deviation's follow-up, with who took it and when. Append-only."""

    deviation = models.ForeignKey(
        Deviation, verbose_name=_("deviation"), on_delete=models.CASCADE, related_name="steps"
    )

    record_field = "deviation"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        constraints = step_constraints("deviation", "deviation")

    def __str__(self) -> str:
        return f"{self.deviation}: {self.get_state_display()}"


class DeviationPhoto(models.Model):
    """A photo of what was found; stored privately and served only through an access check."""

    deviation = models.ForeignKey(
        Deviation, verbose_name=_("deviation"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to="deviations/%Y/%m/")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return str(self.image)

    def get_absolute_url(self) -> str:
        return reverse("properties:deviation-photo", args=[self.deviation_id, self.pk])
