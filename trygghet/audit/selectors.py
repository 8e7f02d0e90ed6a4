"""Reading the audit trail, for the data protection officer's page and `manage.py audit_report`
alike."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from trygghet.audit.models import Read, TokenUse


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _within(queryset: QuerySet, first_day: date | None, last_day: date | None) -> QuerySet:
    if first_day:
        queryset = queryset.filter(at__gte=_start_of(first_day))
    if last_day:
        queryset = queryset.filter(at__lt=_start_of(last_day + timedelta(days=1)))
    return queryset


def reads(
    *,
    user: str = "",
    object: tuple[str, int] | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> QuerySet[Read]:
    """The trail's rows under the filters, newest first. A record's reads ("who has seen
    this?") are its own pages and photos; lists that showed it are in the rows of its type
    with their filters."""
    rows = Read.objects.select_related("user", "token")
    if user:
        rows = rows.filter(user__username=user)
    if object:
        rows = rows.filter(subject_type=object[0], subject_id=object[1])
    return _within(rows, first_day, last_day).order_by("-at", "-id")


def token_uses(
    *, user: str = "", first_day: date | None = None, last_day: date | None = None
) -> QuerySet[TokenUse]:
    rows = TokenUse.objects.select_related("user", "token")
    if user:
        rows = rows.filter(user__username=user)
    return _within(rows, first_day, last_day).order_by("-at", "-id")
