"""Context for the panels this app puts on the role start pages (declared in apps.py)."""

from properties import selectors


def round_panel(request) -> dict:
    tonight = selectors.tonights_round(user=request.user)
    return {"due": len(tonight.due), "checked": len(tonight.checked), "later": len(tonight.later)}


def deviations_panel(request) -> dict:
    return selectors.deviation_summary(request.user)
