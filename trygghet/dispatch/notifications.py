"""What the hosts' phones are told about call-outs (Web Push): one sent to their car, and a
change to one their car had (sent to another car, put back in the queue, called off). The
notification says how urgent and which area, nothing more: what it is about, the exact place
and who is involved are free text that may name people, and load after sign-in."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patrols.models import Priority, ShiftHost
from trygghet.dispatch.models import DispatchRequest, DispatchStep, State
from trygghet.push.services import Message, push_enabled, push_notify

# What the car that had the call-out is told when the dispatcher moves it on.
CHANGES = {
    State.DISPATCHED: gettext_lazy("Sent to another car instead."),
    State.REQUESTED: gettext_lazy("Taken back: it waits for a car again."),
    State.CANCELLED: gettext_lazy("Called off."),
}


def title(heading: str, request: DispatchRequest) -> str:
    """ "Call-out: High — Stortorget": the priority and the area (or the municipal building),
    never the place as typed."""
    text = f"{heading}: {Priority(request.priority).label}"
    place = request.area or request.property
    return f"{text} — {place.name}" if place is not None else text


def _crew(shift_id: int) -> list[int]:
    return list(
        ShiftHost.objects.filter(shift=shift_id, cancelled=False).values_list("host", flat=True)
    )


def step_notify(*, request: DispatchRequest, step: DispatchStep, before: int | None) -> None:
    """Called in the step's transaction; `before` is the shift (the car) that had the request
    until now."""
    if not push_enabled():
        return
    url, tag = request.get_absolute_url(), f"dispatch-{request.pk}"
    with translation.override(settings.LANGUAGE_CODE):
        if step.state == State.DISPATCHED and step.shift_id is not None:
            message = Message(
                title=title(_("Call-out"), request),
                body=_("Sent to your car. Open it to see what and where."),
                url=url,
                tag=tag,
            )
            push_notify(users=_crew(step.shift_id), message=message, event_at=step.at)
        if before is not None and step.state in CHANGES:
            message = Message(
                title=title(_("Call-out changed"), request),
                body=str(CHANGES[State(step.state)]),
                url=url,
                tag=tag,
            )
            push_notify(users=_crew(before), message=message, event_at=step.at)
