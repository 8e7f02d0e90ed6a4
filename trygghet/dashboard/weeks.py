"""The EST week on the lägesbild: who has and has not reported it, and the chief closing it
(and opening it again for a late correction), each after a page that asks to confirm."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.parsing import parse_day
from trygghet.core.periods import PeriodKind, week_of
from trygghet.partners.closing import close_week, latest_ended_week, reopen_week, week_status


def week_page(week: date) -> str:
    query = urlencode({"period": PeriodKind.WEEK.value, "on": week.isoformat()})
    return f"{reverse('dashboard:lagesbild')}?{query}"


def _week(text: str) -> date:
    """The Monday a URL names, or 404: a path that names no week is no page."""
    try:
        week = parse_day(text)
    except ValidationError:
        raise Http404 from None
    if week.weekday() != 0:
        raise Http404
    return week


def _confirm(request, week: date, *, closing: bool):
    status = week_status(week)
    if request.method == "POST":
        if closing:
            try:
                close_week(week, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(week_page(week))
            messages.success(
                request, _("Week {number} is closed.").format(number=week.isocalendar().week)
            )
        else:
            reopen_week(week)
            messages.success(
                request,
                _("Week {number} is open for corrections again.").format(
                    number=week.isocalendar().week
                ),
            )
        return redirect(week_page(week))
    context = {
        "status": status,
        "closing": closing,
        "number": week.isocalendar().week,
        "nights": week_of(week).label(),
        "back": week_page(week),
    }
    return render(request, "dashboard/week_confirm.html", context)


@capability_required(Capability.PLAN_PATROLS)
def close(request, week: str):
    return _confirm(request, _week(week), closing=True)


@capability_required(Capability.PLAN_PATROLS)
def reopen(request, week: str):
    return _confirm(request, _week(week), closing=False)


def panel(request) -> dict:
    """The chief's start panel: the week that ended last, who has and has not reported it."""
    week = latest_ended_week()
    return {"status": week_status(week), "page": week_page(week)}
