from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.navigation import panels_for
from trygghet.accounts.policy import Capability, can, start_page_kind
from trygghet.core.periods import Period, PeriodKind
from trygghet.dashboard import selectors
from trygghet.dashboard.forms import LagesbildForm
from trygghet.dashboard.selectors import Filters
from trygghet.partners.assessments.selectors import meeting
from trygghet.partners.closing import week_status

ROLE_TITLES = {
    "admin": gettext_lazy("Administrator"),
    "chief": gettext_lazy("Security chief"),
    "host": gettext_lazy("Safety host"),
    "owner": gettext_lazy("Property owner"),
    "partner": gettext_lazy("Partner"),
    "dpo": gettext_lazy("Data protection officer"),
}


@login_required
def start(request):
    """Each role's start page, made of the panels the apps offer for that role."""
    kind = start_page_kind(request.user)
    if kind is None:
        raise PermissionDenied
    context = {"role_title": ROLE_TITLES[kind], "panels": panels_for(request, kind)}
    return render(request, "dashboard/start.html", context)


def _query(period: Period, filters: Filters, **changes) -> dict:
    """The query string that shows this period and these filters (with `changes`)."""
    query: dict[str, object] = {"period": period.kind.value}
    if period.kind == PeriodKind.CUSTOM:
        query |= {"first": period.whole.first, "last": period.whole.last}
    else:
        query["on"] = period.whole.last
    query |= filters.as_query() | changes
    return {key: value for key, value in query.items() if value is not None}


def _links(period: Period, filters: Filters) -> dict:
    """Moving to the period before or after, the printable report, and the period's incidents
    as an export from the API (the same rows the figures count)."""
    page = reverse("dashboard:lagesbild")
    if period.kind == PeriodKind.CUSTOM:
        later = period.whole.shifted(timedelta(days=period.whole.count))
        before: dict[str, date | None] = {
            "first": period.previous.first,
            "last": period.previous.last,
        }
        after: dict[str, date | None] = {"first": later.first, "last": later.last}
    else:
        before, after = {"on": period.before()}, {"on": period.after()}
    start, end = period.shown.bounds()
    export = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        **filters.as_query(),
    }
    incidents = reverse("api:incident-list")
    return {
        "previous": f"{page}?{urlencode(_query(period, filters, **before))}",
        "next": f"{page}?{urlencode(_query(period, filters, **after))}" if period.after() else None,
        "report": f"{reverse('dashboard:report')}?{urlencode(_query(period, filters))}",
        "page": f"{page}?{urlencode(_query(period, filters))}",
        "excel": f"{incidents}?{urlencode(export | {'format': 'csv', 'dialect': 'excel-sv'})}",
        "geojson": f"{incidents}?{urlencode(export | {'format': 'geojson'})}",
    }


def _lagesbild_context(request) -> tuple[dict, int]:
    areas = selectors.area_choices(request.user)
    sources = selectors.source_choices()
    form = LagesbildForm(request.GET, areas=areas, sources=sources)
    context = {"form": form, "kinds": list(PeriodKind)}
    if not form.is_valid():
        return context, 400
    period, filters = form.selection()
    figures = selectors.lagesbild(
        user=request.user, period=period, filters=filters, areas=areas, sources=sources
    )
    context |= {
        "figures": figures,
        "links": _links(period, filters),
        "now": timezone.now(),
        "week": _week(request, period),
        "est": meeting(user=request.user, period=period, area=filters.area),
        "chart_data": {
            "trend": figures.trend,
            "map": figures.map_data,
            "texts": {
                "when": _("Night") if figures.trend["bucket"] == "night" else _("Week"),
                "series": [_("This period"), _("The period before"), _("Same period last year")],
                "incidents": _("Incidents"),
                "calls": _("Night-button calls"),
                "callsBefore": _("The period before"),
                "cell": _("{count} incidents here"),
            },
        },
    }
    return context, 200


def _week(request, period: Period) -> dict | None:
    """On a week's picture: who has and has not reported it, and whether the reader may close
    or reopen it."""
    if period.kind != PeriodKind.WEEK:
        return None
    return {
        "status": week_status(period.whole.first),
        "may_close": can(request.user, Capability.PLAN_PATROLS),
    }


@capability_required(Capability.VIEW_LAGESBILD)
def lagesbild(request):
    """The situational picture: htmx swaps the whole figure set when a filter changes."""
    context, status = _lagesbild_context(request)
    template = (
        "dashboard/_lagesbild.html"
        if request.headers.get("HX-Request")
        else "dashboard/lagesbild.html"
    )
    return render(request, template, context, status=status)


@capability_required(Capability.VIEW_LAGESBILD)
def report(request):
    """The same figures as a printable A4 report, for the weekly EST meeting."""
    context, status = _lagesbild_context(request)
    return render(request, "dashboard/report.html", context, status=status)
