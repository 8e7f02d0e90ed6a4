"""What an incident (or a resident's contact) is about. Kept apart because the categories are
reference data the admin edits and every other record points at, and the groups are the
municipalities' reporting vocabulary (EST) that the lägesbild counts in."""

from __future__ import annotations

from datetime import datetime

import pghistory
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.models import Department


class CategoryGroup(models.TextChoices):
    """The groups Swedish municipalities report in EST, so the hosts' log feeds the lägesbild
    without translation."""

    ORDER = "order", _("Order and disturbance")
    DAMAGE = "damage", _("Damage and vandalism")
    GRAFFITI = "graffiti", _("Graffiti")
    LITTERING = "littering", _("Littering")
    CROWD = "crowd", _("Crowds and noise")
    UNSAFE_PLACE = "unsafe_place", _("Unsafe place")
    RECKLESS_DRIVING = "reckless_driving", _("Reckless driving")
    DRUGS = "drugs", _("Suspected drug dealing")
    VIOLENCE = "violence", _("Violence or threat")
    BURGLARY = "burglary", _("Burglary")
    FIRE = "fire", _("Fire")
    MEDICAL = "medical", _("Medical")
    THREAT_TO_STAFF = "threat_to_staff", _("Threat against staff")
    DIALOGUE = "dialogue", _("Dialogue")
    OTHER = "other", _("Other")


class CategoryKind(models.TextChoices):
    """What a record in the category is: something that happened (what the lägesbild's incident
    figures count) or the hosts' own work, which is counted beside their presence instead."""

    EVENT = "event", _("Event")
    ACTIVITY = "activity", _("Activity")


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class CategoryQuerySet(models.QuerySet["Category"]):
    def active(self):
        return self.filter(active=True)

    def quick_log(self, *, used_since: datetime):
        """The quick-log buttons, the team's most used since `used_since` first: the button a
        host needs most often is the first under the thumb. Ties keep the configured order."""
        return (
            self.active()
            .filter(quick_log=True)
            .annotate(uses=Count("incidents", filter=Q(incidents__occurred_at__gte=used_since)))
            .order_by("-uses", "position", "name_sv")
        )


@pghistory.track(
    pghistory.InsertEvent("created"),
    pghistory.UpdateEvent("changed"),
    model_name="CategoryEvent",
)
class Category(models.Model):
    """What an incident is about. Data the chief edits, every change kept with who made it; a
    data migration makes the defaults."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup)
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=CategoryKind,
        default=CategoryKind.EVENT,
        help_text=_(
            "An event is something that happened; an activity is the hosts' own work "
            "(dialogue, support given), counted apart from the events."
        ),
    )
    name_sv = models.CharField(_("Swedish name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The department that puts things right in public space (graffiti, littering, "
            "broken lighting): each event the hosts log in this category becomes its task."
        ),
    )
    default_severity = models.PositiveSmallIntegerField(
        _("default severity"), choices=Severity, default=Severity.LOW
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#607d8b",
        help_text=_("For maps and buttons, as #rrggbb."),
    )
    active = models.BooleanField(_("active"), default=True)
    quick_log = models.BooleanField(
        _("quick-log button"),
        default=False,
        help_text=_("Shown as a big button on the host's phone during a shift."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name_sv"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="category_colour_hex"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CategoryKind.values), name="category_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv
