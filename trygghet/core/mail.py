"""E-mail from the background jobs: every link from the one site address, and messages that
must go out only once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from trygghet.core.models import SentMail


def absolute_url(path: str) -> str:
    """The site's address (SITE_URL) and a path from reverse() or get_absolute_url(): an
    e-mail has no request to take the host from."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def send_once(*, key: str, message: EmailMultiAlternatives) -> bool:
    """Send the message unless one with this key went out already; returns whether it was sent.

    The record and the sending share a transaction: a mail server that fails rolls the record
    back, so the retry sends; a second job with the same key waits on the record's unique key
    and then finds it.
    """
    with transaction.atomic():
        _record, created = SentMail.objects.get_or_create(key=key)
        if not created:
            return False
        message.send()
    return True
