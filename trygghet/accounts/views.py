from django.conf import settings
from django.shortcuts import render


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this instead of the login view once the failure limit is reached."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
