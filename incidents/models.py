from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from patrols.models import PhoneLine, Shift
from patrols.positions import Positioned
from trygghet.core.parsing import LONG_TEXT, readable_moments

if TYPE_CHECKING:
    # pghistory.track (on Incident) creates this model, with Incident's history fields, when the
    # module is imported: the type checker cannot see its fields.
    IncidentVersion: Any


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


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class CategoryQuerySet(models.QuerySet["Category"]):
    def active(self):
        return self.filter(active=True)

    def quick_log(self):
        return self.active().filter(quick_log=True)


class Category(models.Model):
    """What an incident is about. Data, editable in the admin; a data migration makes the
    defaults."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup)
    name_sv = models.CharField(_("Swedish name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
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
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


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

    def with_escalation_count(self):
        count = (
            Escalation.objects.filter(incident=models.OuterRef("pk"))
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
class Incident(Positioned):
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


class Service(models.TextChoices):
    """Who the hosts call for help. They have no powers of their own."""

    EMERGENCY = "emergency", _("112")
    POLICE = "police", _("Police")
    SECURITY = "security", _("Security guards")
    AMBULANCE = "ambulance", _("Ambulance")
    RESCUE = "rescue", _("Rescue service")
    MUNICIPAL_ON_CALL = "municipal_on_call", _("Municipal on-call")


class ServiceNumber(models.Model):
    """A number the hosts call for help: 112, the police's 114 14, the security company, the
    municipal on-call lines. Data, editable in the admin."""

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


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    WEB = "web", _("Web")


class ContactOutcome(models.TextChoices):
    HANDLED = "handled", _("Handled")
    REFERRED_112 = "referred_112", _("Referred to 112")
    REFERRED_POLICE = "referred_police", _("Referred to the police")
    REFERRED_OTHER = "referred_other", _("Referred to another authority")
    BECAME_INCIDENT = "became_incident", _("Became an incident")


class CitizenContact(Positioned):
    """A resident who called, came up to the car or wrote. Blank outcome: not handled yet."""

    # A resident's position and place can point at their home, so they count as personal too.
    PERSONAL_FIELDS = (
        "reason",
        "contact_details",
        "recorded_by",
        "latitude",
        "longitude",
        "place_text",
        "reference",
    )

    received_at = models.DateTimeField(_("received at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    phone_line = models.ForeignKey(
        PhoneLine,
        verbose_name=_("phone line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=LONG_TEXT, blank=True)
    place_text = models.CharField(_("place"), max_length=200, blank=True, db_default="")
    # Given to a resident who reports on the public page, so they can refer to it when they call.
    reference = models.CharField(
        _("reference number"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    contact_details = models.CharField(
        _("contact details"),
        max_length=200,
        blank=True,
        help_text=_("Only if the resident wants to be contacted. Never required."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ContactOutcome, blank=True, default=""
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_contacts",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("citizen contact")
        verbose_name_plural = _("citizen contacts")
        constraints = [
            *readable_moments("received_at", "created_at"),
            models.CheckConstraint(
                condition=~Q(outcome="became_incident") | Q(incident__isnull=False),
                name="citizen_contact_incident_linked",
            ),
            models.CheckConstraint(
                condition=Q(phone_line__isnull=True) | Q(channel="phone"),
                name="citizen_contact_line_only_by_phone",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="citizen_contact_position_whole",
            ),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.received_at), "SHORT_DATETIME_FORMAT")
        return f"{self.get_channel_display()} {when}"


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
