"""What the EST group's partners bring into the lägesbild: each organisation's own events, week by
week, in the municipality's categories. The hosts' incidents carry exact positions; a partner's
row carries an area or a rough place, and a count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Category
from patrols.positions import Positioned
from trygghet.accounts.models import Department, Organisation
from trygghet.core.parsing import LONG_TEXT, SHORT_TEXT, readable_days, readable_moments

# A count above this in one row of one night is a typing mistake, not a week in a town.
MAX_COUNT = 10_000


class ReportSource(models.TextChoices):
    FORM = "form", _("Web form")
    UPLOAD = "upload", _("File upload")
    API = "api", _("API")


class CategoryMapping(models.Model):
    """An organisation's own name for a kind of event (as it appears in its files and systems)
    and the municipality's category it is counted in."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="category_mappings",
    )
    their_name = models.CharField(_("their name"), max_length=80)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "their_name"]
        verbose_name = _("category mapping")
        verbose_name_plural = _("category mappings")
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("their_name"), name="category_mapping_once_per_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.their_name} → {self.category}"


class WeeklyReport(models.Model):
    """One organisation's events of one EST week (Monday–Sunday, by operational night). It can be
    corrected until the chief closes the week."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="weekly_reports",
    )
    week = models.DateField(_("week"), help_text=_("The Monday the week starts on."))
    source = models.CharField(_("source"), max_length=10, choices=ReportSource)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-week", "organisation"]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        constraints = [
            *readable_moments("submitted_at", "updated_at"),
            models.UniqueConstraint(
                fields=["organisation", "week"], name="weekly_report_once_per_week"
            ),
            models.CheckConstraint(
                condition=Q(week__iso_week_day=1), name="weekly_report_starts_monday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week:%G-W%V}"


class ReportRow(Positioned):
    """A count of one category on one night, in an area or at a rough place (the position, when
    given, is where on the map the partner pointed, not where anything happened exactly)."""

    report = models.ForeignKey(
        WeeklyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="rows"
    )
    night = models.DateField(_("night"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("count"))
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["report", "night", "pk"]
        verbose_name = _("report row")
        verbose_name_plural = _("report rows")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=MAX_COUNT), name="report_row_count_range"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="report_row_both_coordinates_or_neither",
            ),
        ]
        indexes = [
            models.Index(
                fields=["night", "category"],
                include=["area", "count"],
                name="report_row_night_category",
            )
        ]


class ClosedWeek(models.Model):
    """A week the chief has closed: its reports are final and the lägesbild's figures for it stand."""

    week = models.DateField(_("week"), unique=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("closed week")
        verbose_name_plural = _("closed weeks")
        constraints = [
            *readable_moments("closed_at"),
            models.CheckConstraint(condition=Q(week__iso_week_day=1), name="closed_week_monday"),
        ]

    def __str__(self) -> str:
        return f"{self.week:%G-W%V}"


# --- The EST meeting's own record: the assessment of a period and the actions agreed in it


class MeetingPeriod(models.TextChoices):
    """The periods the EST group meets about; the values are those of the lägesbild's periods."""

    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    TERTIAL = "tertial", _("Tertial")


class Assessment(models.Model):
    """The group's reading of one period, written by the chief. The actions agreed for the
    period hang on it, so it exists (perhaps still without text) as soon as one is recorded."""

    kind = models.CharField(_("period"), max_length=10, choices=MeetingPeriod)
    first = models.DateField(_("first night"))
    text = models.TextField(_("assessment"), max_length=LONG_TEXT, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-first", "kind"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            *readable_moments("updated_at"),
            *readable_days("first"),
            models.UniqueConstraint(fields=["kind", "first"], name="assessment_once_per_period"),
            # The first night of its period: a Monday, the 1st of a month, or of January, May
            # or September.
            models.CheckConstraint(
                condition=Q(kind=MeetingPeriod.WEEK, first__iso_week_day=1)
                | Q(kind=MeetingPeriod.MONTH, first__day=1)
                | Q(kind=MeetingPeriod.TERTIAL, first__day=1, first__month__in=[1, 5, 9]),
                name="assessment_starts_its_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first}"


class AssessmentComment(models.Model):
    """A partner's comment on an assessment, in the name of the partner's organisation."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"), max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at", "pk"]
        verbose_name = _("comment on an assessment")
        verbose_name_plural = _("comments on assessments")
        constraints = [*readable_moments("created_at")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)


class Action(models.Model):
    """What the group agreed someone does, where and by when, and what came of it. Who does it
    is a partner organisation, a department of the municipality, or (neither) the municipality's
    safety hosts."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("agreed for"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    what = models.CharField(_("what"), max_length=SHORT_TEXT)
    area = models.ForeignKey(
        "patrols.Area",
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    due = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus, default=ActionStatus.OPEN
    )
    outcome = models.TextField(_("what came of it"), max_length=LONG_TEXT, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            *readable_moments("closed_at", "created_at", "updated_at"),
            *readable_days("due"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(department__isnull=True),
                name="action_one_owner",
            ),
            # Closed exactly when done or dropped: the follow-up reads what closed when.
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_STATUSES, closed_at__isnull=False)
                | (~Q(status__in=CLOSED_STATUSES) & Q(closed_at__isnull=True)),
                name="action_closed_when_done_or_dropped",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_late(self) -> bool:
        return self.is_open and self.due < timezone.localdate()

    @property
    def owner(self) -> str:
        """Who does it, as the page says it."""
        owner = self.organisation or self.department
        return str(owner) if owner else str(_("The safety hosts"))


class DateLayout(models.TextChoices):
    """How an organisation's files write a date (strptime patterns)."""

    # Labelled by an example, the same in every language.
    ISO = "%Y-%m-%d", "2026-11-27"
    SWEDISH_SHORT = "%y-%m-%d", "26-11-27"
    DAY_MONTH_YEAR = "%d/%m/%Y", "27/11/2026"
    DAY_MONTH_YEAR_DOTS = "%d.%m.%Y", "27.11.2026"
    MONTH_DAY_YEAR = "%m/%d/%Y", "11/27/2026"


class UploadLayout(models.Model):
    """Which columns of an organisation's own file hold what, so its weekly export can be
    uploaded as it is, week after week. Column titles are compared without regard to case."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="upload_layout",
    )
    night_column = models.CharField(_("night or date column"), max_length=80, default="datum")
    date_format = models.CharField(
        _("date format"), max_length=12, choices=DateLayout, default=DateLayout.ISO
    )
    area_column = models.CharField(_("area column"), max_length=80, default="område")
    category_column = models.CharField(_("category column"), max_length=80, default="kategori")
    count_column = models.CharField(_("count column"), max_length=80, default="antal")
    note_column = models.CharField(
        _("note column"),
        max_length=80,
        default="anteckning",
        blank=True,
        help_text=_("Empty: the file has no notes."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("upload layout")
        verbose_name_plural = _("upload layouts")
        constraints = [*readable_moments("updated_at")]

    def __str__(self) -> str:
        return str(self.organisation)

    def columns(self) -> dict[str, str]:
        """The file's column title (lower case) for each field it has."""
        named = {
            "night": self.night_column,
            "area": self.area_column,
            "category": self.category_column,
            "count": self.count_column,
            "note": self.note_column,
        }
        return {field: title.strip().lower() for field, title in named.items() if title.strip()}
