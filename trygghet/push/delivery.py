"""One notification to one device over the network: encrypted for the browser (RFC 8291),
signed with the server's VAPID key (RFC 8292), posted to its push service (RFC 8030).

The push service's answer decides what follows: 201 delivered; 404 or 410 the subscription is
gone (the browser unsubscribed, or the app was removed), so it is deleted; 429, a 5xx or no
answer within PUSH_TIMEOUT is a failure the job retries; any other 4xx would fail the same way
again, so it is recorded and logged, not retried.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import requests
from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from trygghet.push.models import PushDelivery, PushSubscription

logger = logging.getLogger(__name__)

GONE = (404, 410)


class PushFailed(Exception):
    """The push service could not take the notification now; the job tries again."""


def push_deliver(
    *, subscription_id: int, title: str, body: str, url: str, tag: str, event_at: datetime
) -> int | None:
    """Send one notification; the push service's status, or None when the subscription is
    no more (signed out since)."""
    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return None
    payload = json.dumps({"title": title, "body": body, "url": url, "tag": tag})
    sent_at = timezone.now()
    status: int | None
    try:
        response = webpush(
            subscription.info(),
            data=payload,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            timeout=settings.PUSH_TIMEOUT,
            ttl=settings.PUSH_TTL_SECONDS,
            # A call-out must wake a phone that saves its battery.
            headers={"Urgency": "high"},
        )
        status = response.status_code
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
    except requests.RequestException as error:
        status = None
        logger.warning("Push service not reached for subscription %s: %s", subscription.pk, error)
    PushDelivery.objects.create(
        subscription=subscription, url=url, event_at=event_at, sent_at=sent_at, status=status
    )
    if status in GONE:
        subscription.delete()
    elif status is not None and status < 300:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_used_at=sent_at)
    elif status is None or status == 429 or status >= 500:
        raise PushFailed(f"push service answered {status}")
    else:
        logger.warning("Push service refused subscription %s: %s", subscription.pk, status)
    return status
