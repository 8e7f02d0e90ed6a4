from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A span of days and hours, as people say it: "3 days 4 hours", "5 hours", "40 minutes"."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not parts:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


@register.filter
def percent(value: float | None) -> str:
    """A share (0–1) as a whole percentage, with a space before the sign as Swedish writes it."""
    return "–" if value is None else f"{round(value * 100)} %"


@register.filter
def distance(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return f"{round(metres, -1):.0f} m"
    return f"{number_format(metres / 1000, 1)} km"
