"""The host's phone as an installed app: the service worker is served from the site's root so
its scope can cover the host's pages, which live under several prefixes (/start/, /incidents/,
/patrols/, /properties/, /dispatch/). The manifest makes it installable; it opens on the host's
start page, full-screen, in the app's dark colours."""

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The dark theme's page and bar colours (static/css/app.css), so the app opens without a flash.
BACKGROUND = "#0c1015"
THEME = "#151b22"


@require_GET
def service_worker(request):
    response = render(request, "pwa/sw.js", content_type="text/javascript")
    # The browser checks for a new worker on every navigation only if this answer is not cached.
    response["Cache-Control"] = "private, no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "name": "Trygghet",
        "short_name": "Trygghet",
        "description": _("The safety hosts' shift: log, rounds and call-outs."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("start"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": icons,
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def offline_texts() -> dict[str, str]:
    """What the outbox and the offline note say on a host's page (static/js/outbox.js)."""
    return {
        "waiting": _("{count} waiting to be sent"),
        "refused": _("Not accepted: {reason}"),
        "open": _("Open and fix"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this? It has not been sent and will be lost."),
        "queued": _("Saved on the phone. It is sent when the network is back."),
        "cannot_queue": _("No network: this cannot wait on the phone. Try again when online."),
        "saved_at": _("Offline — saved {time}"),
        "fix": _("Not sent: {reason} Fix it and save again, or discard it."),
        "sign_out": _(
            "{count} not sent yet will be deleted from this phone if you sign out. Sign out anyway?"
        ),
        "observation": _("Observation"),
        "escalation": _("Recorded call for help"),
        "contact": _("Citizen contact"),
        "night_start": _("Night-button call started"),
        "night_end": _("Night-button call ended"),
        "arrive": _("Arrived in an area"),
        "leave": _("Left an area"),
        "dialogue": _("Dialogue"),
        "check": _("Property check"),
        "step": _("Call-out step"),
    }
