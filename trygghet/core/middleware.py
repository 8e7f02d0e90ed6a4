from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class ContentSecurityPolicyMiddleware:
    """Only the app's own scripts run and only the tile server is reached besides the app:
    no CDN at run time, and an injected script tag does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = _origin(settings.MAP_TILE_URL)
        self.policy = "; ".join(
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
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        # The sign-out form's answer may send the browser on to the identity provider, to end
        # the session there too; read per request, like the other sign-in settings.
        form_action = f"form-action 'self' {_origin(settings.OIDC_ISSUER)}".strip()
        response.headers.setdefault("Content-Security-Policy", f"{self.policy}; {form_action}")
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
