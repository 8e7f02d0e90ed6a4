from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from patrols.models import Priority, Shift
from trygghet.dispatch.services import car_label

register = template.Library()


@register.filter
def car(shift: Shift | None) -> str:
    return car_label(shift)


@register.filter
def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, as a busy dispatcher reads it: "just now", "3 min ago", "1 h 5 min ago"."""
    if moment is None:
        return ""
    minutes = max(0, int(((now or timezone.now()) - moment).total_seconds() // 60))
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return _("{minutes} min ago").format(minutes=minutes)
    return _("{hours} h {minutes} min ago").format(hours=minutes // 60, minutes=minutes % 60)


@register.filter
def duration(value: timedelta | None) -> str:
    """A median or a response time in whole minutes (seconds under a minute)."""
    if value is None:
        return "–"
    seconds = round(value.total_seconds())
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)


@register.filter
def since(later: datetime | None, earlier: datetime | None) -> str:
    """The time from `earlier` to `later`, as `duration` shows it."""
    if later is None or earlier is None:
        return "–"
    return duration(later - earlier)


@register.filter
def priority_label(value: int) -> str:
    return str(Priority(value).label)
