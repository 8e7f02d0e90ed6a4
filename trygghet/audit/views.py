from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.audit import selectors
from trygghet.audit.forms import TrailFilterForm
from trygghet.core.models import RetentionLog

PAGE_SIZE = 50
# The token uses and retention lines shown beside the reads: the newest, under the filters.
SIDE_ROWS = 50


@capability_required(Capability.VIEW_AUDIT_TRAIL)
def trail(request):
    """The data protection officer's page: who read which personal data (by person, by record:
    "who has seen this?", by period), the API tokens' use and the retention log. It names
    records and readers, never shows the records' contents."""
    form = TrailFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    reads = selectors.reads(**filters) if valid else selectors.reads().none()
    token_filters = {key: value for key, value in filters.items() if key != "object"}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "token_uses": list(selectors.token_uses(**token_filters)[:SIDE_ROWS]) if valid else [],
        "retention": list(RetentionLog.objects.all()[:SIDE_ROWS]),
    }
    return render(request, "audit/trail.html", context, status=200 if valid else 400)
