"""Writing the audit trail: one row per request that shows personal data, written before the
data goes out. When the row cannot be written the read is refused (ReadRefused, a 503), never
served unrecorded.

The views call these after their permission check and only when what they show is personal
for this user (trygghet.accounts.policy and each app's `personal_data_for`): a partner's or a
report program's reads of figures are not personal data and leave no row here (their API token
use is counted per request by the middleware instead).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, models, transaction
from django.db.models.expressions import RawSQL

from trygghet.accounts.models import ApiToken
from trygghet.audit.models import Read
from trygghet.audit.reasons import remembered_reason
from trygghet.core.ratelimit import client_ip
from trygghet.core.unavailable import database_unavailable

# Query parameters that page through a list rather than choose what it shows.
PAGING = {"page", "cursor", "page_size"}


class ReadRefused(Exception):
    """The audit row could not be written, so the personal data must not be shown."""


def subject_type(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def record_read(request, subject: models.Model, *, what: str | None = None) -> None:
    """One record shown: its page, a photo of it, its admin page. The reason given for it in
    this session (reasons.py), if any, goes with the row."""
    reason, note = remembered_reason(request, subject)
    _insert(
        request,
        subject_type=subject_type(subject),
        subject_id=subject.pk,
        what=what or request.path,
        reason=reason,
        reason_note=note,
    )


def record_list(
    request,
    model: type[models.Model],
    *,
    rows: int | models.QuerySet,
    filters: Mapping | None = None,
) -> None:
    """A list or an export shown: one row for the request, with its filter (the query
    string unless given) and how many rows it showed. For a streamed export `rows` is its
    queryset, counted by PostgreSQL in the INSERT itself, so the row is written before the
    first byte of the file and still in one statement."""
    if filters is None:
        filters = {
            key: values[0] if len(values) == 1 else values
            for key, values in request.GET.lists()
            if key not in PAGING
        }
    _insert(
        request,
        subject_type=subject_type(model),
        subject_id=None,
        what=request.path,
        filters=dict(filters),
        rows=rows if isinstance(rows, int) else _count(rows),
    )


def _count(queryset: models.QuerySet) -> RawSQL | int:
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a refused filter: no rows
        return 0
    return RawSQL(f"SELECT count(*) FROM ({sql}) AS shown", params)  # noqa: S611


def address_of(request) -> str | None:
    """The client's address by the trusted-proxy rule; None when it is not an IP address (a
    Unix socket), which the column could not hold and which must not refuse the read."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _insert(request, **fields) -> None:
    token = getattr(request, "auth", None)
    try:
        with transaction.atomic():
            Read.objects.create(
                user=request.user,
                token=token if isinstance(token, ApiToken) else None,
                address=address_of(request),
                **fields,
            )
    except DatabaseError as error:
        if database_unavailable(error):
            raise  # the database is away: the outage's own 503
        raise ReadRefused from error
