"""The night button's calls: one running call per phone line, accepted outside the opening
hours but flagged. Apart from the rest because it records no incident and no caller."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    CallOutcome,
    NightButtonCall,
)
from incidents.selectors import night_button_window
from incidents.services.checks import check_logged_time, shift_of
from patrols.models import PhoneLine
from trygghet.accounts.models import User
from trygghet.core.idempotency import create_once

RUNNING_CALL_CONSTRAINT = "night_button_one_running_call_per_line"


def night_button_call_start(
    *,
    by: User,
    phone_line: PhoneLine | None = None,
    client_key: uuid.UUID | None = None,
    happened_at: datetime | None = None,
) -> tuple[NightButtonCall, bool]:
    """A resident called the night button: start a running call on the shift's phone line.

    Calls outside the opening hours (as the chief set them) are accepted and flagged: the
    host answered the phone, and the record should say so. `happened_at` is when the host
    tapped, for a tap that waited on an offline phone."""

    def create() -> NightButtonCall:
        shift = shift_of(by, None)
        if happened_at is not None:
            check_logged_time(happened_at, "happened_at", by=by, shift=shift)
        line = shift.phone_line or phone_line
        if line is None:
            raise ValidationError(
                {"phone_line": _("Your shift has no phone line. Choose the line you answered.")},
                code="no_line",
            )
        # Lock the line: two taps on two phones must not start two calls on one line.
        PhoneLine.objects.select_for_update().get(pk=line.pk)
        if NightButtonCall.objects.filter(phone_line=line, ended_at__isnull=True).exists():
            raise ValidationError(
                {"phone_line": _("A call is already running on {line}.").format(line=line)},
                code="running",
            )
        now = happened_at or timezone.now()
        try:
            with transaction.atomic():
                return NightButtonCall.objects.create(
                    phone_line=line,
                    host=by,
                    shift=shift,
                    started_at=now,
                    outside_hours=not night_button_window().contains(now),
                    client_key=client_key,
                )
        except IntegrityError as error:
            if RUNNING_CALL_CONSTRAINT in str(error):
                raise ValidationError(
                    {"phone_line": _("A call is already running on {line}.").format(line=line)},
                    code="running",
                ) from error
            raise

    return create_once(
        NightButtonCall, client_key=client_key, create=create, owner_field="host", owner=by
    )


@transaction.atomic
def night_button_call_end(
    *, call: NightButtonCall, by: User, outcome: str, happened_at: datetime | None = None
) -> NightButtonCall:
    """End a running call with its outcome. Ending an ended call again (a resent tap) changes
    nothing. `happened_at` is when the host tapped, for a tap that waited on an offline phone."""
    call = NightButtonCall.objects.select_for_update().get(pk=call.pk)
    if call.ended_at is not None:
        return call
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose how the call ended.")}, code="outcome")
    if happened_at is not None:
        check_logged_time(happened_at, "happened_at", by=by, shift=call.shift)
    call.ended_at = max(happened_at or timezone.now(), call.started_at)
    call.outcome = outcome
    call.save(update_fields=["ended_at", "outcome"])
    return call
