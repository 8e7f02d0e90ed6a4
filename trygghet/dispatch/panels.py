"""The host's start-page panel: the call-outs their car has now. The same context serves the
panel's poll (views.host_tasks), so the panel and its refresh show the same thing."""

from __future__ import annotations

import uuid

from trygghet.dispatch.models import TAP_OUTCOMES
from trygghet.dispatch.selectors import host_tasks as select_host_tasks

# The phone asks gently: a new call-out shows within this many seconds.
POLL_SECONDS = 10


def host_tasks(request) -> dict:
    tasks = select_host_tasks(request.user)
    # Each tap carries a key: a tap resent over a bad connection makes one step. The keys stay
    # the same as long as the poll finds nothing new (the panel is not redrawn).
    return {
        "shift": tasks.shift,
        "tasks": [(task, uuid.uuid4()) for task in tasks.tasks],
        "version": tasks.version,
        "outcomes": TAP_OUTCOMES,
        "poll_seconds": POLL_SECONDS,
    }
