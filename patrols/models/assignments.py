"""The chief's orders (uppdrag) and whom they were agreed with."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from patrols.models.areas import Area
from trygghet.core.parsing import LONG_TEXT, readable_days
from trygghet.core.time import DailyWindow


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
    vehicle = models.ForeignKey(
        "Vehicle",
        verbose_name=_("car"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        help_text=_("The car (and its crew) this is for; empty means any car on duty."),
    )
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


class Consultation(models.Model):
    """A party the chief consulted before giving the assignment (the police, the housing
    company, the school, ...), and when. The assignment's own `consulted_with` is the first."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    party = models.CharField(_("party"), max_length=100)
    consulted_on = models.DateField(_("consulted on"))
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["consulted_on", "id"]
        verbose_name = _("consulted party")
        verbose_name_plural = _("consulted parties")
        constraints = [*readable_days("consulted_on")]

    def __str__(self) -> str:
        return f"{self.party} ({self.consulted_on:%Y-%m-%d})"
