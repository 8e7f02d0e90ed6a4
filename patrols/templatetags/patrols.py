from django import template

register = template.Library()

PRIORITY_BADGES = {1: "badge-danger", 2: "badge-warning", 3: "badge-info"}


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes, 3:05: how a rota reads."""
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def priority_badge(priority: int) -> str:
    return PRIORITY_BADGES.get(priority, "")


@register.filter
def window(assignment) -> str:
    """21:00–02:00, from an assignment's local times."""
    return f"{assignment.start_time:%H:%M}–{assignment.end_time:%H:%M}"
