"""Dispatch: a request to send the car somewhere now, its state history, and the phones' last
known positions.

A request's states are rows (DispatchStep: who, when, which car), append-only and numbered; the
request keeps a pointer to where it is now (`state`, `version`, `state_at`) so that lists and
the board need no join to know it. The database refuses steps outside the transition matrix,
and the step numbers make two people acting at once on the same state impossible.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, CitizenContact, Incident
from patrols.models import Priority, Shift
from patrols.positions import Located, Positioned
from properties.models import Property
from trygghet.core.parsing import LONG_TEXT, readable_moments


class Source(models.TextChoices):
    CITIZEN_CONTACT = "citizen_contact", _("Citizen contact")
    PARTNER = "partner", _("Partner request")
    PROPERTY_ALARM = "property_alarm", _("Property alarm")
    CHIEF = "chief", _("Security chief")
    NIGHT_BUTTON = "night_button", _("Night button")


class State(models.TextChoices):
    REQUESTED = "requested", _("Waiting for a car")
    DISPATCHED = "dispatched", _("Dispatched")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ON_SCENE = "on_scene", _("On scene")
    CLEARED = "cleared", _("Cleared")
    CANCELLED = "cancelled", _("Called off")


class Outcome(models.TextChoices):
    HANDLED = "handled", _("Handled")
    REFERRED = "referred", _("Referred elsewhere")
    NOTHING_FOUND = "nothing_found", _("Nothing found")
    INCIDENT = "incident", _("Became an incident")


# The outcomes one tap gives; "became an incident" needs the incident, logged by the crew.
TAP_OUTCOMES = [(value, label) for value, label in Outcome.choices if value != Outcome.INCIDENT]

OPEN_STATES = (State.REQUESTED, State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE)
# The states in which a car has the request.
ASSIGNED_STATES = (State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE)

# The transition matrix: from each state ("" before the first step), the states it may go to.
# A car may be swapped (dispatched again) or the request put back in the queue until the car is
# on scene; from then on only clearing it (with an outcome) ends it.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({State.REQUESTED}),
    State.REQUESTED: frozenset({State.DISPATCHED, State.CANCELLED}),
    State.DISPATCHED: frozenset(
        {State.ACKNOWLEDGED, State.DISPATCHED, State.REQUESTED, State.CANCELLED}
    ),
    State.ACKNOWLEDGED: frozenset(
        {State.ON_SCENE, State.DISPATCHED, State.REQUESTED, State.CANCELLED}
    ),
    State.ON_SCENE: frozenset({State.CLEARED}),
    State.CLEARED: frozenset(),
    State.CANCELLED: frozenset(),
}

# The steps the car's crew takes, one tap each; the rest are the dispatcher's.
HOST_STEPS = (State.ACKNOWLEDGED, State.ON_SCENE, State.CLEARED)


class DispatchRequestQuerySet(models.QuerySet["DispatchRequest"]):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def closed(self):
        return self.exclude(state__in=OPEN_STATES)


class DispatchRequest(Positioned):
    """Send the car where it is needed now (utryckning): what, where, how urgent, where it came
    from, and where it stands.

    (Its derived values are methods, not properties: the field named `property` hides the
    built-in decorator inside the class body.)
    """

    what = models.CharField(_("what"), max_length=200)
    category = models.ForeignKey(
        Category,
        verbose_name=_("about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    source = models.CharField(_("source"), max_length=20, choices=Source)
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    citizen_contact = models.ForeignKey(
        CitizenContact,
        verbose_name=_("citizen contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The pointer to the current step: its state, its number and when it was taken.
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.REQUESTED, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    state_at = models.DateTimeField(_("state since"), default=timezone.now, editable=False)
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("car (shift)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome, blank=True, default="", editable=False
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DispatchRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("dispatch request")
        verbose_name_plural = _("dispatch requests")
        constraints = [
            *readable_moments("requested_at", "state_at"),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="dispatch_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="dispatch_position_complete",
            ),
            # A car has it exactly while it is dispatched, acknowledged or on scene, and keeps
            # it when cleared; a cancelled request remembers the car it had, if any.
            models.CheckConstraint(
                condition=Q(state__in=[*ASSIGNED_STATES, State.CLEARED], shift__isnull=False)
                | Q(state=State.REQUESTED, shift__isnull=True)
                | Q(state=State.CANCELLED),
                name="dispatch_shift_with_state",
            ),
            models.CheckConstraint(
                condition=(Q(state=State.CLEARED) & ~Q(outcome=""))
                | (~Q(state=State.CLEARED) & Q(outcome="")),
                name="dispatch_outcome_when_cleared",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.INCIDENT) & Q(incident__isnull=False))
                | (~Q(outcome=Outcome.INCIDENT) & Q(incident__isnull=True)),
                name="dispatch_incident_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(citizen_contact__isnull=True) | Q(source=Source.CITIZEN_CONTACT),
                name="dispatch_contact_only_from_contact",
            ),
            # A resident's call is sent out once at a time.
            models.UniqueConstraint(
                fields=["citizen_contact"],
                condition=Q(state__in=OPEN_STATES),
                name="dispatch_one_open_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["state", "priority", "requested_at"])]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.requested_at), "SHORT_DATETIME_FORMAT")
        return f"{self.what} ({when})"

    def get_absolute_url(self) -> str:
        return reverse("dispatch:request-detail", args=[self.pk])

    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def geo_uri(self) -> str:
        """Opens the phone's own map app (Android and most map apps) at the place."""
        lat, lon = _plain(self.latitude), _plain(self.longitude)
        return f"geo:{lat},{lon}?q={lat},{lon}"

    def directions_url(self) -> str:
        """Directions in the browser, for phones without a geo: handler (iPhone)."""
        query = urlencode(
            {"api": "1", "destination": f"{_plain(self.latitude)},{_plain(self.longitude)}"}
        )
        return f"https://www.google.com/maps/dir/?{query}"


def _plain(value: Decimal | None) -> str:
    return format(value, "f") if value is not None else ""


class DispatchStep(models.Model):
    """One step of a request's history: the state it went to, who took it and when, the car
    it concerns and, when cleared, the outcome. Append-only; numbered 1, 2, … per request."""

    request = models.ForeignKey(
        DispatchRequest,
        verbose_name=_("dispatch request"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    number = models.PositiveIntegerField(_("number"))
    from_state = models.CharField(_("from"), max_length=12, choices=State, blank=True)
    state = models.CharField(_("to"), max_length=12, choices=State)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("car (shift)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, blank=True)
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    # Sent with each tap on the phone, so a resent tap is recognised and makes no second step.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("dispatch step")
        verbose_name_plural = _("dispatch steps")
        constraints = [
            *readable_moments("at"),
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(from_state=source, state__in=sorted(targets))
                        for source, targets in TRANSITIONS.items()
                        if targets
                    ),
                    _connector=Q.OR,
                ),
                name="dispatch_step_allowed",
            ),
            # Two people acting on the same version make the same number: one of them fails.
            models.UniqueConstraint(fields=["request", "number"], name="dispatch_step_number"),
            models.CheckConstraint(
                condition=(Q(state=State.CLEARED) & ~Q(outcome=""))
                | (~Q(state=State.CLEARED) & Q(outcome="")),
                name="dispatch_step_outcome_when_cleared",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.DISPATCHED) | Q(shift__isnull=False),
                name="dispatch_step_dispatched_to_a_shift",
            ),
        ]
        indexes = [models.Index(fields=["request", "state", "at"])]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.number}: {self.get_state_display()}"


class Position(Located):
    """A phone's position during an active shift, sent by the host's page while it is open
    (the host may switch it off). Kept briefly (settings.DISPATCH_POSITION_RETENTION_MINUTES
    after the shift) and shown only to dispatchers, never to partners or in exports."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    accuracy = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        constraints = readable_moments("recorded_at")
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("phone position")
        verbose_name_plural = _("phone positions")
        indexes = [models.Index(fields=["shift", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.shift_id} {timezone.localtime(self.recorded_at):%H:%M}"
