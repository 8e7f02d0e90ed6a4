from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.permissions import get_citizen_contact_for_user, personal_data_for
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.audit.reads import record_list, record_read
from trygghet.core.drf import PERIOD_ALIASES
from trygghet.core.exports import csv_download
from trygghet.core.forms import error_text, submit
from trygghet.core.time import operational_night
from trygghet.core.views import filtered_rows
from trygghet.dispatch import panels, selectors, services
from trygghet.dispatch.figures import response_times, with_times
from trygghet.dispatch.filters import RequestPageFilter
from trygghet.dispatch.forms import ClearAsIncidentForm, PositionForm, RequestForm, StepForm
from trygghet.dispatch.models import TAP_OUTCOMES, DispatchRequest, Position, State
from trygghet.dispatch.permissions import crew_of, get_request_for_user, is_dispatcher

DISPATCHERS = (Capability.DISPATCH,)
ON_REQUESTS = (Capability.DISPATCH, Capability.WORK_SHIFTS)
HOSTS = (Capability.WORK_SHIFTS,)
# How often the board asks whether anything changed (the phone: panels.POLL_SECONDS).
BOARD_POLL_SECONDS = 5
PAGE_SIZE = 50
# Where a step's form sends the user back to.
BACK = {"board": "dispatch:board", "start": "start"}


@capability_required(*DISPATCHERS)
def board(request):
    """The dispatcher's live board. Its poll (htmx) gets the live part again, or 204 when its
    version says nothing changed, so the page is not redrawn under the dispatcher's hand."""
    data = selectors.board(request.user)
    context = {"board": data, "poll_seconds": BOARD_POLL_SECONDS, "outcomes": TAP_OUTCOMES}
    if request.headers.get("HX-Request") and request.GET.get("v") == data.version:
        return HttpResponse(status=204)
    # The cars' positions are the hosts' whereabouts: every answer that shows them is a read.
    shown = sum(1 for car in data.cars if car.position)
    record_list(request, Position, rows=shown, filters={"board": data.night.isoformat()})
    if request.headers.get("HX-Request"):
        return render(request, "dispatch/_board_live.html", context)
    return render(request, "dispatch/board.html", context)


@capability_required(*DISPATCHERS)
def request_create(request):
    """A new call-out from the board, or "send the car" for a citizen contact
    (?citizen_contact=ID): one form, and with a car chosen it goes out at once."""
    contact = None
    if request.GET.get("citizen_contact", "").isdigit():
        contact = get_citizen_contact_for_user(request.user, int(request.GET["citizen_contact"]))
    if request.method == "POST":
        form = RequestForm(request.POST, contact=contact)
        saved = submit(
            form,
            lambda data: services.dispatch_request_create(
                by=request.user, citizen_contact=contact, **data
            ),
        )
        if saved:
            call_out, _created = saved
            if call_out.shift_id:
                done = _("Sent to {car}.").format(car=services.car_label(call_out.shift))
            else:
                done = _("The call-out is on the board, waiting for a car.")
            messages.success(request, done)
            return redirect("dispatch:board")
        status = 400
    else:
        form = RequestForm(contact=contact)
        status = 200
    return render(
        request, "dispatch/request_form.html", {"form": form, "contact": contact}, status=status
    )


def _detail_context(request, call_out, **extra) -> dict:
    steps = call_out.steps.select_related("by", "shift__vehicle").order_by("number")
    context = {
        "call_out": call_out,
        "steps": list(steps),
        "dispatcher": is_dispatcher(request.user),
        "crew": crew_of(request.user, call_out),
        "outcomes": TAP_OUTCOMES,
        "personal": personal_data_for(request.user),
    }
    if context["dispatcher"] and call_out.is_open():
        context["cars"] = selectors.cars_on_duty(positions=False)
    return context | extra


@capability_required(*ON_REQUESTS)
def request_detail(request, pk: int):
    call_out = get_request_for_user(request.user, pk)
    if personal_data_for(request.user):
        record_read(request, call_out)
    return render(request, "dispatch/request_detail.html", _detail_context(request, call_out))


@require_POST
@capability_required(*ON_REQUESTS)
def request_step(request, pk: int):
    """One step from the board, the detail page or the phone. If someone else acted first, or
    the step is not allowed, the request is shown as it is now with what happened (400)."""
    call_out = get_request_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        error = ValidationError(_("Choose what to do and try again."))
    else:
        data = form.cleaned_data
        try:
            step, _created = services.dispatch_request_transition(
                request=call_out,
                by=request.user,
                to=data["to"],
                version=data["version"],
                shift=data["shift"],
                outcome=data["outcome"],
                note=data["note"],
                client_key=data["client_key"],
                at=data["happened_at"],
            )
        except ValidationError as raised:
            error = raised
        else:
            messages.success(request, _step_done(step))
            return redirect(BACK.get(request.POST.get("back"), call_out.get_absolute_url()))
    call_out = get_request_for_user(request.user, pk)
    context = _detail_context(request, call_out, error=error_text(error))
    return render(request, "dispatch/request_detail.html", context, status=400)


def _step_done(step) -> str:
    time = time_format(timezone.localtime(step.at), "H:i")
    if step.state == State.DISPATCHED:
        return _("Sent to {car} at {time}.").format(
            car=services.car_label(step.request.shift), time=time
        )
    return _("{state} at {time}.").format(state=State(step.state).label, time=time)


@capability_required(*HOSTS)
def request_incident(request, pk: int):
    """Clear a call-out as "became an incident": the crew logs the incident in one form."""
    call_out = get_request_for_user(request.user, pk)
    if request.method == "POST":
        form = ClearAsIncidentForm(request.POST)
        saved = submit(
            form,
            lambda data: services.dispatch_request_clear_as_incident(
                request=call_out, by=request.user, **data
            ),
        )
        if saved:
            messages.success(request, _("Cleared: the incident is logged."))
            return redirect("start")
        status = 400
    else:
        description = "\n".join(part for part in (call_out.what, call_out.note) if part)
        form = ClearAsIncidentForm(
            initial={
                "category": call_out.category,
                "description": description,
                "version": call_out.version,
            }
        )
        status = 200
    context = {"form": form, "call_out": call_out}
    return render(request, "dispatch/clear_incident.html", context, status=status)


@require_GET
@capability_required(*HOSTS)
def host_tasks(request):
    """The phone's poll: the host's call-outs again, or 204 when nothing changed."""
    data = panels.host_tasks(request)
    if request.GET.get("v") == data["version"]:
        return HttpResponse(status=204)
    return render(request, "dispatch/_host_tasks.html", {"data": data})


@require_POST
@capability_required(*HOSTS)
def position_record(request):
    """The phone's position while the host's page is open (and sharing is on)."""
    form = PositionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("No position."))
    try:
        services.position_record(host=request.user, **form.cleaned_data)
    except ValidationError as error:
        return HttpResponseBadRequest(error_text(error))
    return HttpResponse(status=204)


@require_POST
@capability_required(*HOSTS)
def position_forget(request):
    """Sharing switched off: the positions the phone sent are deleted at once."""
    services.position_forget(host=request.user)
    return HttpResponse(status=204)


# Without filters the history shows the last two weeks of nights.
DEFAULT_NIGHTS = 14


def _filtered(request):
    data = request.GET.copy()
    if not {"first_night", "last_night", "from", "to", *PERIOD_ALIASES} & data.keys():
        first = operational_night(timezone.now()) - timedelta(days=DEFAULT_NIGHTS - 1)
        data["first_night"] = first.isoformat()
    filterset = RequestPageFilter(
        data, queryset=selectors.request_list(request.user), request=request
    )
    return filterset, filtered_rows(filterset)


@capability_required(*DISPATCHERS)
def request_list(request):
    """Every call-out with its times, filtered, and the median response times: for each
    priority over the period, and for each night."""
    filterset, requests = _filtered(request)
    status = 200 if filterset.is_valid() else 400
    page = Paginator(with_times(requests), PAGE_SIZE).get_page(request.GET.get("page"))
    if personal_data_for(request.user):
        record_list(request, DispatchRequest, rows=len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    figures = response_times(requests) if status == 200 else []
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "period": [row for row in figures if row.night is None],
        "nights": [row for row in figures if row.night is not None and row.priority is None],
    }
    return render(request, "dispatch/request_list.html", context, status=status)


@capability_required(*DISPATCHERS)
def request_export(request):
    filterset, requests = _filtered(request)
    personal = personal_data_for(request.user)
    if personal:
        record_list(request, DispatchRequest, rows=requests)
    return csv_download(
        request,
        with_times(requests),
        selectors.request_columns(personal=personal),
        name="utryckningar",
        filterset=filterset,
    )
