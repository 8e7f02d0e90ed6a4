from trygghet.accounts.navigation import menu_for


def menu(request):
    """The main menu of base.html: the entries this user's capabilities reach."""
    return {"menu": menu_for(request) if request.user.is_authenticated else []}
