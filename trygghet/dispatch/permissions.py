"""Who sees and acts on which dispatch requests: the one place for it.

- The chief, and any host given the dispatch capability in the admin (a host acting as
  dispatcher), see every request and take every step; they alone see the phones' positions.
- A host sees the requests that were ever sent to one of their shifts, and takes the crew's
  steps (acknowledged, on scene, cleared) on those their car has now. Another's is a 404.
- Partners (inside their organisation's scope) and report programs get figures only: when, how urgent, which area, the state and
  the times of each step, never the free text, the exact place, the car or who acted
  (`figures_only`, built on incidents' personal-data decision).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from incidents.permissions import is_host, personal_data_for
from patrols.models import ShiftHost
from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can, in_organisation_scope
from trygghet.dispatch.models import (
    HOST_STEPS,
    DispatchRequest,
    DispatchRequestQuerySet,
    DispatchStep,
)

FIGURE_READERS = (Capability.DISPATCH, Capability.VIEW_LAGESBILD)
# Where a request keeps its area and category group, for a partner's scope and the figures.
REQUEST_LOOKUPS = {"area": "area", "group": "category__group"}


def is_dispatcher(user: User) -> bool:
    return can(user, Capability.DISPATCH)


def reads_figures(user: User) -> bool:
    return any(can(user, capability) for capability in FIGURE_READERS)


def figures_only(user: User) -> bool:
    """Partners and report clients: the request's figures, none of its details."""
    return not personal_data_for(user)


def _sent_to_my_shift(user: User) -> Exists:
    return Exists(
        DispatchStep.objects.filter(
            request=OuterRef("pk"),
            shift__in=ShiftHost.objects.filter(host=user, cancelled=False).values("shift"),
        )
    )


def requests_for_user(user: User) -> DispatchRequestQuerySet:
    requests = DispatchRequest.objects.all()
    if reads_figures(user):
        return in_organisation_scope(user, requests, REQUEST_LOOKUPS, moment="requested_at")
    if is_host(user):
        return requests.filter(_sent_to_my_shift(user))
    return requests.none()


def get_request_for_user(user: User, pk: int) -> DispatchRequest:
    """A request for the pages: the dispatcher's any, a host's those sent to their car."""
    if not (is_dispatcher(user) or is_host(user)):
        return get_object_or_404(DispatchRequest.objects.none(), pk=pk)
    return get_object_or_404(
        requests_for_user(user).select_related(
            "area",
            "category",
            "citizen_contact",
            "property",
            "incident",
            "requested_by",
            "shift__vehicle",
            "shift__phone_line",
        ),
        pk=pk,
    )


def crew_of(user: User, request: DispatchRequest) -> bool:
    """The user is a host on the car that has the request now."""
    return (
        request.shift_id is not None
        and is_host(user)
        and ShiftHost.objects.filter(shift_id=request.shift_id, host=user, cancelled=False).exists()
    )


def may_take_step(user: User, request: DispatchRequest, state: str) -> bool:
    """Who may move a request to `state` (the matrix of which states follow which is the
    model's; this is who). The dispatcher takes every step; the crew of the car that has it
    takes theirs."""
    if is_dispatcher(user):
        return True
    return state in HOST_STEPS and crew_of(user, request)
