from django.conf import settings

from trygghet.core.navigation import menu_for

THEMES = ("auto", "light", "dark")
THEME_COOKIE = "theme"


def theme_of(request) -> str:
    theme = request.COOKIES.get(THEME_COOKIE, "auto")
    return theme if theme in THEMES else "auto"


def layout(request):
    """What base.html needs on every page: the menu for this user, the chosen theme, and the
    tile server for pages with a map."""
    menu = menu_for(request) if request.user.is_authenticated else []
    lat, lon, zoom = settings.MAP_CENTER
    return {
        "menu": menu,
        "theme": theme_of(request),
        "map_config": {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "center": [lat, lon],
            "zoom": int(zoom),
        },
    }
