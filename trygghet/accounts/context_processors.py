from trygghet.accounts.navigation import menu_for


def menu(request):
    """The main menu of base.html: the entries this user's capabilities reach. A request refused
    before the user is known (a Host header not ours) gets none."""
    user = getattr(request, "user", None)
    return {"menu": menu_for(request) if user is not None and user.is_authenticated else []}
