"""What every record a host logs must satisfy, whatever it is: a time they may log, a shift that
is theirs and running, an area that follows from the position. One set of rules, so an incident,
a call for help and a contact cannot disagree about what "on the shift" means."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from patrols.geo import area_at
from patrols.models import Area, Shift, ShiftHost, ShiftState
from patrols.selectors import active_shift_for
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can


def check_not_future(moment: datetime, field: str) -> None:
    skew = timedelta(minutes=settings.INCIDENT_CLOCK_SKEW_MINUTES)
    if moment > timezone.now() + skew:
        raise ValidationError({field: _("The time is in the future.")}, code="future")


def check_logged_time(moment: datetime, field: str, *, by: User, shift: Shift | None) -> None:
    """A host logs what happens on the shift: a time from the shift's start, or from the last
    HOST_LOG_WINDOW_HOURS hours when that reaches further back, and not in the future. Older
    times are corrected by the chief, whose amendments the history keeps."""
    check_not_future(moment, field)
    if can(by, Capability.MANAGE_INCIDENTS):
        return
    earliest = timezone.now() - timedelta(hours=settings.HOST_LOG_WINDOW_HOURS)
    if shift is not None and shift.actual_start is not None:
        earliest = min(earliest, shift.actual_start)
    if moment < earliest:
        raise ValidationError(
            {
                field: _(
                    "A host logs times from this shift, from {earliest} on. Ask the security "
                    "chief to correct an older time."
                ).format(earliest=date_format(timezone.localtime(earliest), "j F H:i"))
            },
            code="too_old",
        )


def moved(new: datetime, old: datetime | None) -> bool:
    """Whether an edit changed a recorded time; the forms show minutes, so seconds are no
    change."""
    return old is None or abs(new - old) >= timedelta(minutes=1)


def shift_of(by: User, shift: Shift | None) -> Shift:
    """The shift a host records on: the one given, if it is theirs and running, else their
    active shift."""
    if shift is None:
        shift = active_shift_for(by)
        if shift is None:
            raise ValidationError(
                {"shift": _("You have no active shift. Start your shift first.")},
                code="no_shift",
            )
        return shift
    if not ShiftHost.objects.filter(shift=shift, host=by, cancelled=False).exists():
        raise ValidationError({"shift": _("That shift is not yours.")}, code="not_your_shift")
    if shift.state != ShiftState.ACTIVE:
        raise ValidationError(
            {"shift": _("That shift is not running (it is closed or not started).")},
            code="shift_not_active",
        )
    return shift


def derive_area(
    latitude: Decimal | None, longitude: Decimal | None, picked: Area | None
) -> Area | None:
    """The area whose boundary holds the position; without a position, the one the host picked."""
    if latitude is not None and longitude is not None:
        return area_at(lat=float(latitude), lon=float(longitude))
    return picked
