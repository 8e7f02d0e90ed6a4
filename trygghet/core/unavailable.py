"""While PostgreSQL cannot be reached (stopped, restarting, out of connections), every request
answers 503 with Retry-After instead of a 500, and the app recovers by itself when it is back.

A connection that met such an error is closed before the answer goes out (the servers do the
same at the end of every request), so the next request connects afresh.
"""

from __future__ import annotations

import logging
import sys

import psycopg
from django.core.signals import got_request_exception
from django.db import close_old_connections
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from trygghet.core.context_processors import theme_of

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Server states that mean "not now" rather than a fault in the query: the server shutting down
# or crashed (57P01, 57P02), starting up (57P03), or out of connections (53300). Class 08 is
# a connection failure; an error without a state was raised by the client (no connection).
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or the driver's error Django wrapped in it) means the database cannot
    be reached now."""
    while error is not None:
        if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            state = error.sqlstate
            return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
        error = error.__cause__
    return False


def unavailable_response(request) -> HttpResponse:
    """The layout's error page (JSON under /api/), rendered from the request alone: no session,
    user or menu, which would need the database."""
    close_old_connections()
    message = _("Trygghet cannot reach its database just now. Try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        context = {
            "request": request,
            "csrf_token": get_token(request),
            "theme": theme_of(request),
            "message": message,
        }
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 when the database is unreachable, wherever the error was raised.

    A view's error arrives in process_exception. An error in another middleware (the session
    saved after the view, the idle timeout reading it) has already become Django's 500 response
    when it gets here; the receiver below marks the request, so that it is answered the same way.
    Keep this middleware above every one that reads the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            logger.warning(
                "Database unavailable: %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response(request)
        return None


@receiver(got_request_exception)
def _mark_unavailable(sender, request=None, **kwargs):
    if request is not None and database_unavailable(sys.exc_info()[1]):
        request.database_unavailable = True
