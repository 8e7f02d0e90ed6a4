"""The night button (nattknappen): a resident kept company on the phone on the way home. A
service of its own, with its own hours and phone lines, that never records who called and
never touches an incident."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from patrols.models import PhoneLine, Shift
from trygghet.core.parsing import readable_moments
from trygghet.core.time import DailyWindow


class CallOutcome(models.TextChoices):
    ARRIVED = "arrived", _("Arrived safely")
    DROPPED = "dropped", _("Call dropped")
    ESCALATED_112 = "escalated_112", _("Escalated to 112")


class NightButtonCall(models.Model):
    """A night-button (nattknappen) call: a resident kept company on the phone on the way home.
    No caller identity is stored."""

    PERSONAL_FIELDS = ("host",)

    phone_line = models.ForeignKey(
        PhoneLine, verbose_name=_("phone line"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("host"), on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=CallOutcome, blank=True, default=""
    )
    outside_hours = models.BooleanField(
        _("outside opening hours"),
        default=False,
        help_text=_("Started outside the night button's hours; accepted, but flagged."),
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("night-button call")
        verbose_name_plural = _("night-button calls")
        constraints = [
            *readable_moments("started_at", "ended_at"),
            # One phone, one call at a time.
            models.UniqueConstraint(
                fields=["phone_line"],
                condition=Q(ended_at__isnull=True),
                name="night_button_one_running_call_per_line",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="night_button_ended_after_started",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, outcome="")
                | (Q(ended_at__isnull=False) & ~Q(outcome="")),
                name="night_button_outcome_when_ended",
            ),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.started_at), "SHORT_DATETIME_FORMAT")
        return f"{self.phone_line} {when}"

    @property
    def running(self) -> bool:
        return self.ended_at is None


@pghistory.track(
    pghistory.InsertEvent("created"),
    pghistory.UpdateEvent("changed"),
    model_name="NightButtonSettingsEvent",
)
class NightButtonSettings(models.Model):
    """The night button's hours and what the public page lists, as the chief set them: one row,
    and until the chief saves it the hours of settings.NIGHT_BUTTON_HOURS."""

    ONLY = 1

    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(
        _("closes at"), help_text=_("Earlier than the opening time: the next morning.")
    )
    lines_on_duty_only = models.BooleanField(
        _("list only the lines of the cars on duty"),
        default=False,
        help_text=_(
            "The public page lists the night-button numbers of the cars on duty now, instead of "
            "all of them."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("night-button settings")
        verbose_name_plural = _("night-button settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="night_button_settings_one_row"),
            models.CheckConstraint(
                condition=~Q(opens_at=models.F("closes_at")),
                name="night_button_settings_open_some_time",
            ),
            *readable_moments("updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @classmethod
    def current(cls) -> NightButtonSettings:
        found = cls.objects.filter(pk=cls.ONLY).first()
        if found is not None:
            return found
        window = DailyWindow.parse(settings.NIGHT_BUTTON_HOURS)
        return cls(pk=cls.ONLY, opens_at=window.start, closes_at=window.end)

    @property
    def window(self) -> DailyWindow:
        return DailyWindow(self.opens_at, self.closes_at)
