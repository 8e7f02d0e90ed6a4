"""Numbers and changes as the lägesbild shows them."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR

register = template.Library()


@register.filter
def num(value) -> str:
    """A count with the language's thousands separator; a dash for nothing known."""
    if value is None:
        return "–"
    return floatformat(value, "0g")


@register.filter
def decimal(value) -> str:
    """One decimal, as medians and rates read best."""
    if value is None:
        return "–"
    return floatformat(value, "-1g")


@register.filter
def weekday(isodow: int) -> str:
    return str(WEEKDAYS[isodow - 1])


@register.filter
def weekday_abbr(isodow: int) -> str:
    return str(WEEKDAYS_ABBR[isodow - 1])


@register.inclusion_tag("dashboard/_changes.html")
def changes(figure, unit: str = "", decimals: bool = False):
    """The figure against the period before and the same period last year."""
    return {"figure": figure, "unit": unit, "decimals": decimals}


@register.inclusion_tag("dashboard/_change_badge.html")
def change_badge(change, title: str = ""):
    """A small ▲/▼ with the percentage, for tables."""
    return {"change": change, "title": title}
