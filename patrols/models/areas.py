"""Areas the chief draws, and the history of their boundaries."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygghet.core.parsing import LONG_TEXT, readable_moments
from trygghet.core.time import localize


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
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="areas",
        help_text=_("Partners that see this area (besides those that see every area)."),
    )
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


class AreaVersionQuerySet(models.QuerySet["AreaVersion"]):
    def as_on(self, day: date):
        """Each area's boundary as it stood at the end of the local day: the latest version made
        before the next midnight."""
        end = localize(day + timedelta(days=1), time())
        return (
            self.filter(created_at__lt=end)
            .order_by("area_id", "-number")
            .distinct("area_id")
            .select_related("area")
        )


class AreaVersion(models.Model):
    """A boundary an area has had. An edit of the boundary adds a version (who, when, why: often
    the consultation with the police) instead of overwriting it, so an incident keeps the
    outline it fell in and the map can show an area as it was on a date."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    boundary = models.JSONField(_("boundary"))
    reason = models.TextField(_("why it changed"), max_length=LONG_TEXT, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed"), default=timezone.now)

    objects = AreaVersionQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-number"]
        get_latest_by = "number"
        verbose_name = _("area version")
        verbose_name_plural = _("area versions")
        constraints = [
            *readable_moments("created_at"),
            models.UniqueConstraint(fields=["area", "number"], name="area_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} v{self.number}"
