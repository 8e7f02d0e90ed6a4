from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.policy import start_page_kind
from trygghet.core.navigation import panels_for

ROLE_TITLES = {
    "admin": _("Administrator"),
    "chief": _("Security chief"),
    "host": _("Safety host"),
    "owner": _("Property owner"),
    "partner": _("Partner"),
}


@login_required
def start(request):
    """Each role's start page, made of the panels the apps offer for that role."""
    kind = start_page_kind(request.user)
    if kind is None:
        raise PermissionDenied
    context = {"role_title": ROLE_TITLES[kind], "panels": panels_for(request, kind)}
    return render(request, "dashboard/start.html", context)
