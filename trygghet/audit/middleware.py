"""The audit trail's two request-level duties: a read that could not be recorded is refused
with a 503, and every request made with an API token is counted (token, path, status)."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from trygghet.accounts.models import ApiToken
from trygghet.audit.models import TokenUse
from trygghet.audit.reads import ReadRefused, address_of

logger = logging.getLogger(__name__)


def refused_response(request) -> HttpResponse:
    message = _(
        "This could not be recorded in the log of who reads personal data, so it is not "
        "shown. Try again in a moment."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"message": message}, request=request), status=503
        )
    add_never_cache_headers(response)
    return response


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            TokenUse.objects.create(
                token=token,
                user_id=token.user_id,
                method=request.method[:10],
                path=request.get_full_path()[:500],
                status=response.status_code,
                address=address_of(request),
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, ReadRefused):
            logger.error("Read refused, audit row not written: %s %s", request.method, request.path)
            return refused_response(request)
        return None
