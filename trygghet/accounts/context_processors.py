from trygghet.accounts.capabilities import Capability
from trygghet.accounts.navigation import menu_for
from trygghet.accounts.policy import can
from trygghet.core.pwa import offline_texts


def menu(request):
    """The main menu of base.html: the entries this user's capabilities reach, and whether the
    pages install the host's offline app (with what its outbox says). A request refused before
    the user is known (a Host header not ours) gets neither."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "works_shifts": False}
    works_shifts = can(user, Capability.WORK_SHIFTS)
    return {
        "menu": menu_for(request),
        "works_shifts": works_shifts,
        "offline_texts": offline_texts() if works_shifts else None,
    }
