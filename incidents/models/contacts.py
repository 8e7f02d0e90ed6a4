"""A resident's call, visit or web report. Apart from incidents because most contacts never
become one, and because the contact (not the incident) holds what the resident said, with its
own personal-data and retention rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from incidents.models.categories import Category
from incidents.models.incidents import Incident
from patrols.models import PhoneLine, Shift
from patrols.positions import Positioned
from trygghet.core.models import LegalHold
from trygghet.core.parsing import LONG_TEXT, readable_moments


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


class Referral(models.TextChoices):
    """Where a resident was referred: the police, one of the municipality's on-call lines, or
    another authority named in words."""

    POLICE = "police", _("The police")
    SOCIAL_ON_CALL = "social_on_call", _("Social services on-call")
    PROPERTY_ON_CALL = "property_on_call", _("Property on-call")
    STREETS_ON_CALL = "streets_on_call", _("Streets and parks on-call")
    OTHER = "other", _("Another authority")


REFERRED = (ContactOutcome.REFERRED_POLICE, ContactOutcome.REFERRED_OTHER)


class CitizenContact(LegalHold, Positioned):
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
        "referred_to_other",
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
    referred_to = models.CharField(
        _("referred to"), max_length=20, choices=Referral, blank=True, default="", db_default=""
    )
    referred_to_other = models.CharField(
        _("which authority"), max_length=200, blank=True, default="", db_default=""
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
            # Contacts referred before the place was recorded keep a blank one.
            models.CheckConstraint(
                condition=Q(referred_to="") | Q(outcome__in=REFERRED),
                name="citizen_contact_referred_only_when_referred",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=ContactOutcome.REFERRED_POLICE)
                | Q(referred_to__in=["", Referral.POLICE]),
                name="citizen_contact_referred_police_to_police",
            ),
            models.CheckConstraint(
                condition=~Q(referred_to=Referral.OTHER) | Q(referred_to_other__gt=""),
                name="citizen_contact_other_authority_named",
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
