"""Cars, phone lines, shifts and the presence recorded on them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from patrols.models.areas import Area
from trygghet.core.parsing import LONG_TEXT, readable_moments

# How far a phone's clock may run ahead of the server's.
CLOCK_SKEW = timedelta(minutes=2)


class Vehicle(models.Model):
    registration = models.CharField(_("registration number"), max_length=10, unique=True)
    name = models.CharField(
        _("name"), max_length=50, help_text=_("Call sign or what it is called.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self) -> str:
        return f"{self.name} ({self.registration})"


class PhoneLine(models.Model):
    """One of the hosts' mobile numbers; the night-button lines are listed publicly."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    night_button = models.BooleanField(_("night button line"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def __str__(self) -> str:
        return self.number

    @property
    def tel_uri(self) -> str:
        return "tel:" + "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


class ShiftState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


HOST_OVERLAP = "shift_host_no_overlap"
VEHICLE_OVERLAP = "shift_vehicle_no_overlap"
PHONE_LINE_OVERLAP = "shift_phone_line_no_overlap"


class ShiftQuerySet(models.QuerySet["Shift"]):
    def active(self):
        return self.filter(state=ShiftState.ACTIVE)

    def for_host(self, user):
        return self.filter(shift_hosts__host=user)


class Shift(models.Model):
    """A work shift (arbetspass) of one or more hosts in the car: planned, then worked."""

    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    actual_start = models.DateTimeField(_("started"), null=True, blank=True)
    actual_end = models.DateTimeField(_("ended"), null=True, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hosts"),
        through="ShiftHost",
        related_name="shifts",
    )
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shifts",
    )
    phone_line = models.ForeignKey(
        PhoneLine,
        verbose_name=_("phone line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shifts",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ShiftState, default=ShiftState.PLANNED
    )
    # The shift's time as planned, then as worked; services keep it in step with the hosts'
    # bookings so that PostgreSQL refuses a car or a phone line on two overlapping shifts.
    period = DateTimeRangeField()
    summary = models.TextField(_("end-of-shift summary"), max_length=LONG_TEXT, blank=True)
    # The car's logbook: the reading it had when the shift took it (the last one written) and
    # the one the host wrote at the end.
    odometer_start = models.PositiveIntegerField(_("odometer at start (km)"), null=True, blank=True)
    odometer_end = models.PositiveIntegerField(_("odometer at end (km)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["planned_start", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            *readable_moments("planned_start", "planned_end", "actual_start", "actual_end"),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="shift_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gt=models.F("actual_start")),
                name="shift_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(odometer_end__isnull=True)
                | Q(odometer_start__isnull=True)
                | Q(odometer_end__gte=models.F("odometer_start")),
                name="shift_odometer_not_backwards",
            ),
            ExclusionConstraint(
                name=VEHICLE_OVERLAP,
                expressions=[
                    ("vehicle", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(vehicle__isnull=False) & ~Q(state=ShiftState.CANCELLED),
            ),
            ExclusionConstraint(
                name=PHONE_LINE_OVERLAP,
                expressions=[
                    ("phone_line", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(phone_line__isnull=False) & ~Q(state=ShiftState.CANCELLED),
            ),
        ]
        indexes = [models.Index(fields=["state", "planned_start"])]

    def __str__(self) -> str:
        return date_format(timezone.localtime(self.planned_start), "SHORT_DATETIME_FORMAT")

    @property
    def start(self) -> datetime:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> datetime:
        return self.actual_end or self.planned_end

    def check_moment(self, at: datetime) -> datetime:
        """What a host records on this shift happened during it: not before it started and not
        in the future (a phone's outbox sends the moment Save was pressed, maybe much later)."""
        if at < self.start or at > timezone.now() + CLOCK_SKEW:
            raise ValidationError(
                _("The time must be during the shift, not before it started or in the future."),
                code="time",
            )
        return at

    @property
    def kilometres(self) -> int | None:
        if self.odometer_start is None or self.odometer_end is None:
            return None
        return self.odometer_end - self.odometer_start


class ShiftHost(models.Model):
    """A host on a shift. `period` copies the shift's time so that PostgreSQL itself can refuse a
    host on two overlapping shifts (an exclusion constraint); services keep it in step."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="shift_hosts")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shift_hosts"
    )
    period = DateTimeRangeField()
    cancelled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("host on shift")
        verbose_name_plural = _("hosts on shifts")
        constraints = [
            models.UniqueConstraint(fields=["shift", "host"], name="shift_host_once"),
            ExclusionConstraint(
                name=HOST_OVERLAP,
                expressions=[("host", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(cancelled=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} – {self.shift}"


class VisitQuerySet(models.QuerySet["Visit"]):
    def open(self):
        return self.filter(left_at__isnull=True)


class Visit(models.Model):
    """Presence (närvaro) of a shift in an area: arrived, left, and the dialogues held there."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="visits"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="visits"
    )
    arrived_at = models.DateTimeField(_("arrived"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    dialogues = models.PositiveIntegerField(_("dialogues"), default=0)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Sent by the phone with each submission, so a retry over a bad connection is recognised.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The key of the last dialogue tap, so a resent "+1" is not counted twice.
    dialogue_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            *readable_moments("arrived_at", "left_at"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gt=models.F("arrived_at")),
                name="visit_left_after_arrived",
            ),
            # A car is in an area once at a time: a second "Arrived" finds the open visit.
            models.UniqueConstraint(
                fields=["shift", "area"],
                condition=Q(left_at__isnull=True),
                name="visit_one_open_per_shift_and_area",
            ),
        ]
        indexes = [models.Index(fields=["arrived_at"])]

    def __str__(self) -> str:
        return f"{self.area} – {self.arrived_at:%Y-%m-%d %H:%M}"
