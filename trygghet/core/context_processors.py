from django.conf import settings

THEMES = ("auto", "light", "dark")
THEME_COOKIE = "theme"


def theme_of(request) -> str:
    theme = request.COOKIES.get(THEME_COOKIE, "auto")
    return theme if theme in THEMES else "auto"


def layout(request):
    """What base.html needs on every page besides the menu (accounts' context processor): the
    chosen theme and the tile server for pages with a map."""
    lat, lon, zoom = settings.MAP_CENTER
    return {
        "theme": theme_of(request),
        "map_config": {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "maxZoom": settings.MAP_TILE_MAX_ZOOM,
            "center": [lat, lon],
            "zoom": int(zoom),
        },
    }
