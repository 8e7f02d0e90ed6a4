from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from trygghet.accounts.policy import start_page_kind


def home(request):
    """The public page for residents; signed-in staff go to their own start page."""
    if request.user.is_authenticated:
        return redirect("start")
    return render(request, "public/home.html")


@login_required
def start(request):
    """Each role's start page; later sections fill them with the role's work."""
    kind = start_page_kind(request.user)
    if kind is None:
        raise PermissionDenied
    return render(request, f"dashboard/start_{kind}.html", {"kind": kind})
