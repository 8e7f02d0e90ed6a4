from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from trygghet.core.views import healthz


class HealthCheckMiddleware:
    """/healthz for the load balancer, answered before anything checks the Host header: a probe
    asks by the server's own address and over plain HTTP (SECURE_REDIRECT_EXEMPT lets it past
    the HTTPS redirect). Every other path still meets both checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@cache
def content_security_policy(tile_url: str, issuer: str) -> str:
    """Only the app's own scripts run and only the tile server is reached besides the app:
    no CDN at run time, and an injected script tag does nothing. The sign-out form's answer may
    send the browser on to the identity provider (`issuer`), to end the session there too."""
    tiles = _origin(tile_url)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Leaflet and Swagger UI position elements with inline styles.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {tiles}".strip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action 'self' {_origin(issuer)}".strip(),
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """The policy follows MAP_TILE_URL as the pages' maps do, read per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = content_security_policy(settings.MAP_TILE_URL, settings.OIDC_ISSUER)
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the visitor picked another language with the switch (kept in a cookie).

    The browser's Accept-Language is not consulted: the municipality works in Swedish, and a
    host whose phone happens to be set to English should still see the words the others use.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in browser, and no API answer, may be kept by a browser or a
    proxy: a shared computer's back button or a cache would show it to the next person. Views
    that chose a private policy of their own (photos) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        private = (
            request.path.startswith("/api/") or settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        if private and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
