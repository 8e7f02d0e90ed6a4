"""The e-mails to a building's contact about its deviations: when one is found, and reminders
while it stays unresolved. The background jobs (properties.tasks) send them; a failing mail
server raises, and the job is tried again later."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from properties.models import Deviation, DeviationState
from trygghet.core.mail import absolute_url, send_once

logger = logging.getLogger(__name__)


def _deviation(deviation_id: int) -> Deviation | None:
    """The deviation, reloaded; None when it is gone (retention took it: nothing to tell)."""
    deviation = (
        Deviation.objects.select_related("property__department", "property_check__checked_by")
        .filter(pk=deviation_id)
        .first()
    )
    if deviation is None:
        logger.info("Deviation %s no longer exists; no e-mail", deviation_id)
    elif not deviation.property.deviation_contact:
        logger.warning("Deviation %s: %s has no contact e-mail", deviation.pk, deviation.property)
        return None
    return deviation


def _message(
    deviation: Deviation, subject: str, template: str, **context
) -> EmailMultiAlternatives:
    # The contact reads the municipality's language, whatever the host's phone was set to.
    context |= {"deviation": deviation, "url": absolute_url(deviation.get_absolute_url())}
    body = render_to_string(template, context)
    return EmailMultiAlternatives(subject, body, to=[deviation.property.deviation_contact])


def deviation_email(*, deviation_id: int) -> bool:
    """E-mail the building's contact (or its department's) about a new deviation; returns
    whether it was sent. Sent once: a deviation already notified is not told again."""
    deviation = _deviation(deviation_id)
    if deviation is None or deviation.notified_at is not None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Deviation at {name}: {found}").format(
            name=deviation.property.name, found=", ".join(deviation.found_labels())
        )
        message = _message(deviation, subject, "properties/email/deviation_created.txt")
    message.send()
    Deviation.objects.filter(pk=deviation.pk).update(notified_at=timezone.now())
    return True


def reminder_key(deviation_id: int, days: int) -> str:
    return f"deviation-reminder:{deviation_id}:{days}"


def deviation_reminder_email(*, deviation_id: int, days: int) -> bool:
    """Remind the contact that the deviation has been unresolved for `days` days; once per
    deviation and number of days. Nothing when it was resolved meanwhile."""
    deviation = _deviation(deviation_id)
    if deviation is None or deviation.state == DeviationState.RESOLVED:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: deviation at {name} unresolved for {days} days").format(
            name=deviation.property.name, days=days
        )
        message = _message(deviation, subject, "properties/email/deviation_reminder.txt", days=days)
    return send_once(key=reminder_key(deviation.pk, days), message=message)
