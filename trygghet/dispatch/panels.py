"""The host's start-page panel: the call-outs their car has now. The same context serves the
panel's poll (views.host_tasks), so the panel and its refresh show the same thing."""

from __future__ import annotations

import uuid

from patrols.selectors import active_shift_for
from trygghet.dispatch.models import TAP_OUTCOMES
from trygghet.dispatch.selectors import host_tasks as select_host_tasks

# The phone asks gently: a new call-out shows within this many seconds.
POLL_SECONDS = 10
# With nothing to do the panel waits below the quick log and tonight's areas (the app's order 5
# puts a running call-out at the top); the phone's script moves it up when one comes.
QUIET_ORDER = 35


def host_tasks(request) -> dict:
    tasks = select_host_tasks(request.user)
    # Each tap carries a key: a tap resent over a bad connection makes one step. The keys stay
    # the same as long as the poll finds nothing new (the panel is not redrawn).
    context: dict[str, object] = {
        "shift": tasks.shift,
        "tasks": [(task, uuid.uuid4()) for task in tasks.tasks],
        "version": tasks.version,
        "outcomes": TAP_OUTCOMES,
        "poll_seconds": POLL_SECONDS,
    }
    if not tasks.tasks:
        context["order"] = QUIET_ORDER
    return context


def position_sharing(request) -> dict:
    """The switch for the car's position, below the call-outs: set once a night, it keeps out of
    the first screen."""
    return {"shift": active_shift_for(request.user)}
