"""A resident's web report reaches the hosts on a running shift as a notification (Web Push):
the category and the area it lies in, no more. What the resident wrote, the place as typed and
their contact details load after sign-in."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from incidents.models import CitizenContact
from patrols.models import ShiftHost, ShiftState
from trygghet.push.services import Message, push_enabled, push_notify


def report_notify(*, contact: CitizenContact) -> None:
    """Called in the report's transaction."""
    if not push_enabled():
        return
    hosts = ShiftHost.objects.filter(shift__state=ShiftState.ACTIVE, cancelled=False)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Resident's report")
        if contact.category is not None:
            title = f"{title}: {contact.category.name}"
        if contact.area is not None:
            title = f"{title} — {contact.area.name}"
        message = Message(
            title=title,
            body=_("Sent from the web. Open it to read it."),
            url=reverse("incidents:citizen-contact-edit", args=[contact.pk]),
            tag=f"report-{contact.pk}",
        )
    push_notify(
        users=hosts.values_list("host", flat=True), message=message, event_at=contact.received_at
    )
