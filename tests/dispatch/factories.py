from datetime import datetime, timedelta

import time_machine

from trygghet.dispatch.models import Outcome, Source, State
from trygghet.dispatch.services import dispatch_request_create, dispatch_request_transition

# Inside the incidents' test area "Centrum" (tests/incidents/conftest.py).
HERE = {"latitude": 59.611, "longitude": 16.541}

# The path a call-out takes to reach each state, from "requested".
PATH = {
    State.REQUESTED: [],
    State.DISPATCHED: [State.DISPATCHED],
    State.ACKNOWLEDGED: [State.DISPATCHED, State.ACKNOWLEDGED],
    State.ON_SCENE: [State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE],
    State.CLEARED: [State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE, State.CLEARED],
    State.CANCELLED: [State.CANCELLED],
}


def make_request(*, by, what="Stökigt gäng vid busshållplatsen", **options):
    """A call-out made through the service (position in Centrum unless told otherwise)."""
    options.setdefault("source", Source.PARTNER)
    if "property" not in options:
        for key, value in HERE.items():
            options.setdefault(key, value)
    request, _created = dispatch_request_create(by=by, what=what, **options)
    return request


def step(request, *, by, to, **options):
    dispatch_request_transition(request=request, by=by, to=to, version=request.version, **options)
    return request


def request_in(state, *, by, shift, **options):
    """A call-out walked to `state` by the dispatcher `by`, sent to `shift` on the way."""
    request = make_request(by=by, **options)
    for to in PATH[state]:
        extra = {}
        if to == State.DISPATCHED:
            extra["shift"] = shift
        if to == State.CLEARED:
            extra["outcome"] = Outcome.HANDLED
        step(request, by=by, to=to, **extra)
    return request


def walk(by, shift, requested: datetime, *steps, priority=1):
    """A call-out requested at `requested`, then each (minutes after the request, state)."""
    with time_machine.travel(requested, tick=False):
        request = make_request(by=by, priority=priority)
    for minutes, to in steps:
        options = {}
        if to == State.DISPATCHED:
            options["shift"] = shift
        if to == State.CLEARED:
            options["outcome"] = Outcome.HANDLED
        with time_machine.travel(requested + timedelta(minutes=minutes), tick=False):
            step(request, by=by, to=to, **options)
    return request
