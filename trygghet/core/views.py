from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.decorators import decorator_from_middleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from trygghet.core.context_processors import THEME_COOKIE, THEMES
from trygghet.core.parsing import BadQuery
from trygghet.core.unavailable import RETRY_AFTER_SECONDS


def revalidated(view):
    """For data a page fetches on every visit (its map's points): the browser keeps a copy but
    asks each time with its ETag and gets an empty 304 when nothing changed. Asking each time
    keeps the rule that a signed-out browser is shown nothing from its cache."""
    conditional = decorator_from_middleware(ConditionalGetMiddleware)(view)
    return cache_control(private=True, no_cache=True)(conditional)


@never_cache
def healthz(request):
    """For the load balancer (HealthCheckMiddleware answers with it, before the host check):
    200 when the database answers, 503 when it does not, and which as JSON."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"database": "ok"})


@require_POST
def set_theme(request):
    """Remember light, dark or automatic colours in a cookie (works without JavaScript)."""
    theme = request.POST.get("theme", "auto")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if theme in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            theme,
            max_age=60 * 60 * 24 * 365,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def favicon(request):
    """Browsers still ask for /favicon.ico now and then, whatever the page's <link rel="icon">;
    the static URL is looked up per request, as the hashed name exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("img/icon.svg"))


def filtered_rows(filterset):
    """The rows a page lists under its filters: none when a filter is refused (the page answers
    400 and names the field), never every row as if they matched."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def bad_request(request, exception):
    """The 400 page; it says what was wrong when the problem is a parameter of ours, and nothing
    of other requests Django refuses (a bad Host header is no business of the visitor's)."""
    problem = str(exception) if isinstance(exception, BadQuery) else ""
    return render(request, "400.html", {"problem": problem}, status=400)
