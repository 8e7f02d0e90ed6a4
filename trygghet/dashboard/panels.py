"""The lägesbild's panel on the chief's and the partners' start pages: last night at a glance."""

from trygghet.core.periods import last_night as latest_night
from trygghet.dashboard.selectors import night_glance


def last_night(request) -> dict:
    return {"glance": night_glance(request.user, latest_night())}
