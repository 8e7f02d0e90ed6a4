"""The host's phone as an installed app: the service worker is served from the site's root so
its scope can cover the host's pages, which live under several prefixes (/start/, /incidents/,
/patrols/, /properties/, /dispatch/)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def service_worker(request):
    response = render(request, "pwa/sw.js", content_type="text/javascript")
    # The browser checks for a new worker on every navigation only if this answer is not cached.
    response["Cache-Control"] = "private, no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
