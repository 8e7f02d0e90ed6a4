from trygghet.core.navigation import menu_for

THEMES = ("auto", "light", "dark")
THEME_COOKIE = "theme"


def theme_of(request) -> str:
    theme = request.COOKIES.get(THEME_COOKIE, "auto")
    return theme if theme in THEMES else "auto"


def layout(request):
    """What base.html needs on every page: the menu for this user and the chosen theme."""
    menu = menu_for(request) if request.user.is_authenticated else []
    return {"menu": menu, "theme": theme_of(request)}
