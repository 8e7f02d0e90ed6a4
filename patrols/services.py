from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils.translation import gettext as _

from patrols.models import PhoneLine, Shift, ShiftHost, Vehicle
from trygghet.accounts.models import User

OVERLAP_CONSTRAINT = "shift_host_no_overlap"


def _overlap_error(hosts: Iterable[User]) -> ValidationError:
    names = ", ".join(str(host) for host in hosts)
    return ValidationError(
        _(
            "A host cannot be on two shifts at the same time: {names} already has a shift then."
        ).format(names=names),
        code="overlap",
    )


def shift_plan(
    *,
    planned_start: datetime,
    planned_end: datetime,
    hosts: Iterable[User],
    vehicle: Vehicle | None = None,
    phone_line: PhoneLine | None = None,
    created_by: User | None = None,
) -> Shift:
    """Plan a shift. PostgreSQL refuses a host on two overlapping shifts; that becomes a
    ValidationError naming the hosts, and nothing is saved."""
    hosts = list(hosts)
    if planned_end <= planned_start:
        raise ValidationError(_("The shift must end after it starts."), code="order")
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                planned_start=planned_start,
                planned_end=planned_end,
                vehicle=vehicle,
                phone_line=phone_line,
                created_by=created_by,
            )
            period = DateTimeTZRange(planned_start, planned_end)
            ShiftHost.objects.bulk_create(
                ShiftHost(shift=shift, host=host, period=period) for host in hosts
            )
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT in str(error):
            raise _overlap_error(hosts) from error
        raise
    return shift
