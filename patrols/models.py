from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trygghet.core.parsing import LONG_TEXT, readable_days, readable_moments
from trygghet.core.time import DailyWindow


class AreaKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential area")
    CAR_PARK = "car_park", _("Car park")
    CENTRE = "centre", _("Centre or square")
    PARK = "park", _("Park")
    SCHOOL = "school", _("School")
    TRANSPORT_HUB = "transport_hub", _("Transport hub")
    OTHER = "other", _("Other")


class AreaQuerySet(models.QuerySet["Area"]):
    def active(self):
        return self.filter(active=True)


class Area(models.Model):
    """A place the security chief wants the hosts in, drawn on the map."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind, default=AreaKind.OTHER)
    boundary = models.JSONField(
        _("boundary"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude)."),
    )
    notes = models.TextField(_("why it matters"), max_length=LONG_TEXT, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class ConsultedWith(models.TextChoices):
    POLICE = "police", _("Police")
    RESCUE = "rescue", _("Rescue service")
    OTHER = "other", _("Other")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def valid_on(self, day: date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def valid_on_any(self, first: date, last: date):
        """Valid on at least one day from first to last."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first), valid_from__lte=last)

    def current(self, day: date):
        """Valid on the day or later: what the chief still has to plan for."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Assignment(models.Model):
    """The chief's order (uppdrag): be present in an area on these weekdays in this window.

    The window is local time and may cross midnight; `weekdays` are the days it starts on, so
    "Friday 21:00–02:00" is still running at 01:30 on Saturday.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="assignments"
    )
    reason = models.TextField(_("reason"), max_length=LONG_TEXT)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday),
        verbose_name=_("weekdays"),
        help_text=_("The days the window starts on."),
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"), help_text=_("May be after midnight."))
    consulted_with = models.CharField(
        _("consulted with"), max_length=20, choices=ConsultedWith, default=ConsultedWith.POLICE
    )
    consulted_on = models.DateField(_("consulted on"))
    consultation_note = models.TextField(_("consultation note"), max_length=LONG_TEXT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "valid_from", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            *readable_days("valid_from", "valid_to", "consulted_on"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="assignment_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__len__gt=0) & Q(weekdays__contained_by=list(range(7))),
                name="assignment_weekdays_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.get_priority_display()})"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("The assignment cannot end before it starts.")}, code="order"
            )
        if self.start_time is not None and self.start_time == self.end_time:
            raise ValidationError(
                {"end_time": _("The window must end at another time than it starts.")},
                code="empty_window",
            )
        if self.area_id and not self.area.active and self._state.adding:
            raise ValidationError({"area": _("That area is no longer in use.")}, code="inactive")

    @property
    def window(self) -> DailyWindow:
        return DailyWindow(self.start_time, self.end_time)

    @property
    def weekday_names(self) -> str:
        """Short and with runs joined: "mån–tors, sön"."""
        days = sorted(set(self.weekdays or ()))
        runs: list[list[int]] = []
        for day in days:
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        return ", ".join(
            f"{WEEKDAYS_ABBR[run[0]]}–{WEEKDAYS_ABBR[run[-1]]}"
            if len(run) > 2
            else ", ".join(str(WEEKDAYS_ABBR[day]) for day in run)
            for run in runs
        )


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
    summary = models.TextField(_("end-of-shift summary"), max_length=LONG_TEXT, blank=True)
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
                name="shift_host_no_overlap",
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
