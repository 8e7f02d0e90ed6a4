from trygghet.accounts.capabilities import Capability
from trygghet.accounts.navigation import menu_for
from trygghet.accounts.policy import can


def menu(request):
    """The main menu of base.html: the entries this user's capabilities reach, and whether the
    pages install the host's offline app. A request refused before the user is known (a Host
    header not ours) gets neither."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "works_shifts": False}
    return {"menu": menu_for(request), "works_shifts": can(user, Capability.WORK_SHIFTS)}
