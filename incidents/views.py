from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents import selectors, services
from incidents.filters import IncidentPageFilter
from incidents.forms import (
    CitizenContactEditForm,
    CitizenContactForm,
    EscalationCallForm,
    EscalationEditForm,
    EscalationForm,
    FollowUpForm,
    IncidentEditForm,
    IncidentForm,
    LegalHoldForm,
    NightButtonEndForm,
    NightButtonStartForm,
)
from incidents.models import (
    Category,
    Channel,
    CitizenContact,
    ContactOutcome,
    FollowUpState,
    Incident,
    NightButtonCall,
    ServiceNumber,
    Source,
)
from incidents.permissions import (
    can_edit_citizen_contact,
    can_edit_incident,
    can_record_escalation,
    citizen_contact_needs_reason,
    edit_is_amendment,
    get_citizen_contact_for_user,
    get_escalation_for_user,
    get_incident_for_user,
    get_night_button_call_for_user,
    incident_needs_reason,
    is_host,
    manages_incidents,
    personal_data_for,
    reads_all,
)
from patrols.selectors import active_shift_for
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability, can
from trygghet.audit.reads import record_list, record_read
from trygghet.audit.reasons import answers_reason, ask_reason, remembered_reason
from trygghet.core.exports import csv_download
from trygghet.core.forms import error_text, submit
from trygghet.core.views import filtered_rows, revalidated

READERS = (Capability.MANAGE_INCIDENTS, Capability.VIEW_INCIDENTS, Capability.WORK_SHIFTS)
DESK = (Capability.MANAGE_INCIDENTS, Capability.VIEW_INCIDENTS)
HOSTS = (Capability.WORK_SHIFTS,)
PAGE_SIZE = 50


def _filtered_incidents(request):
    filterset = IncidentPageFilter(
        request.GET or None, queryset=selectors.incident_list(request.user), request=request
    )
    return filterset, filtered_rows(filterset)


@capability_required(*READERS)
def incident_list(request):
    filterset, incidents = _filtered_incidents(request)
    page = Paginator(incidents.defer("description", "people_involved"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if personal_data_for(request.user):
        record_list(request, Incident, rows=len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "personal": personal_data_for(request.user),
        "can_export": reads_all(request.user),
        "map_texts": {
            "open": _("Open"),
            "more": _("Showing the newest {count} positions."),
            "failed": _("The map's points could not be loaded. Reload the page to try again."),
        },
    }
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return render(request, "incidents/incident_list.html", context, status=status)


@capability_required(*READERS)
@revalidated
def incident_map(request):
    """The filtered list's positions as GeoJSON, for the list page's map."""
    _filterset, incidents = _filtered_incidents(request)
    return JsonResponse(selectors.incident_map(incidents), content_type="application/geo+json")


@capability_required(*DESK)
def incident_export(request):
    """The filtered list as CSV, streamed; `?dialect=excel-sv` for Swedish Excel."""
    filterset, incidents = _filtered_incidents(request)
    personal = personal_data_for(request.user)
    if personal:
        record_list(request, Incident, rows=incidents)
    return csv_download(
        request,
        incidents.order_by("-occurred_at", "-id"),
        selectors.incident_columns(personal=personal),
        name="handelser",
        filterset=filterset,
    )


@capability_required(*READERS)
def incident_detail(request, pk: int):
    incident = get_incident_for_user(request.user, pk)
    personal = personal_data_for(request.user)
    if personal and (asked := _audited(request, incident, incident_needs_reason)):
        return asked
    escalations = list(
        incident.escalations.select_related("service_number", "recorded_by").order_by(
            "called_at", "id"
        )
    )
    can_escalate = can_record_escalation(request.user, incident)
    context = {
        "incident": incident,
        "personal": personal,
        "escalations": escalations,
        "can_escalate": can_escalate,
    }
    if request.headers.get("HX-Request"):
        return render(request, "incidents/_escalations.html", context)
    # Each number's link carries its own key, so a repeated tap records one call.
    numbers = ServiceNumber.objects.filter(active=True) if is_host(request.user) else []
    context |= {
        "photos": list(incident.photos.all()) if personal else [],
        "follow_ups": list(incident.follow_ups.select_related("by")),
        "history": selectors.incident_history(incident, personal=personal),
        "can_edit": can_edit_incident(request.user, incident),
        "service_numbers": [(number, uuid.uuid4()) for number in numbers] if can_escalate else [],
        "follow_up_form": FollowUpForm(initial={"state": _next_state(incident.state)})
        if manages_incidents(request.user)
        else None,
        "citizen_contacts": list(incident.citizen_contacts.all()),
        "legal_hold_form": _legal_hold_form(request, incident),
    }
    return render(request, "incidents/incident_detail.html", context)


def _audited(request, record, needs_reason):
    """Before a page shows a record's personal data: the reason's form when one is needed and
    not yet given (its answer is returned instead of the page), else the audit row."""
    if asked := ask_reason(request, record, required=needs_reason(request.user, record)):
        return asked
    record_read(request, record)
    return None


def _legal_hold_form(request, record):
    if not can(request.user, Capability.PLACE_LEGAL_HOLD):
        return None
    return LegalHoldForm(initial={"held": record.legal_hold, "note": record.legal_hold_note})


def _set_legal_hold(request, record, back: str):
    form = LegalHoldForm(request.POST)
    form.is_valid()
    try:
        services.legal_hold_set(record=record, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The legal hold was saved."))
    return redirect(back)


@require_POST
@capability_required(Capability.PLACE_LEGAL_HOLD)
def incident_legal_hold(request, pk: int):
    incident = get_incident_for_user(request.user, pk)
    return _set_legal_hold(request, incident, incident.get_absolute_url())


@require_POST
@capability_required(Capability.PLACE_LEGAL_HOLD)
def citizen_contact_legal_hold(request, pk: int):
    contact = get_citizen_contact_for_user(request.user, pk)
    return _set_legal_hold(
        request, contact, reverse("incidents:citizen-contact-edit", args=[contact.pk])
    )


def _shows_record(request) -> bool:
    """An edit page shows the record when opened, or when the reason asked first is sent; its
    own form sent back shows only what was typed."""
    return request.method == "GET" or answers_reason(request)


def _next_state(state: str) -> str:
    order = [FollowUpState.NEW, FollowUpState.IN_PROGRESS, FollowUpState.CLOSED]
    return order[min(order.index(FollowUpState(state)) + 1, len(order) - 1)]


@capability_required(*HOSTS)
def incident_create(request):
    """The quick log's form: opened from a category button, pre-filled with now, the shift
    and (by the page's script) the phone's position; one more tap saves."""
    shift = active_shift_for(request.user)
    contact = None
    if request.GET.get("contact", "").isdigit():
        contact = get_citizen_contact_for_user(request.user, int(request.GET["contact"]))
    if request.method == "POST":
        form = IncidentForm(request.POST, request.FILES)

        def save(data):
            if contact is None:
                return services.incident_create(by=request.user, **data)
            return services.incident_create_for_contact(contact=contact, by=request.user, **data)

        saved = submit(form, save)
        if saved:
            incident, _created = saved
            messages.success(
                request,
                _("{category} saved at {time}.").format(
                    category=incident.category,
                    time=date_format(timezone.localtime(incident.occurred_at), "H:i"),
                ),
            )
            return redirect("start" if contact is None else "incidents:citizen-contact-list")
        status = 400
    else:
        category = Category.objects.active().filter(code=request.GET.get("category")).first()
        initial = {
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "category": category or (contact.category if contact else None),
        }
        if contact is not None:
            initial["source"] = Source.CITIZEN_CALL
        form = IncidentForm(initial=initial)
        status = 200
    context = {
        "form": form,
        "shift": shift,
        "contact": contact,
        "locate_texts": {
            "locating": _("Finding your position…"),
            "found": _("Position found (within {accuracy} m)."),
            "none": _("No position: pick the area or write the place below."),
        },
    }
    return render(request, "incidents/incident_form.html", context, status=status)


@capability_required(*READERS)
def incident_edit(request, pk: int):
    incident = get_incident_for_user(request.user, pk)
    if not can_edit_incident(request.user, incident):
        raise PermissionDenied
    if _shows_record(request) and (asked := _audited(request, incident, incident_needs_reason)):
        return asked
    if request.method == "POST":
        form = IncidentEditForm(request.POST, request.FILES)
        if submit(
            form, lambda data: services.incident_update(incident=incident, by=request.user, **data)
        ):
            messages.success(request, _("The incident was saved."))
            return redirect(incident)
        status = 400
    else:
        initial = {field: getattr(incident, field) for field in services.EDITABLE_FIELDS}
        initial["occurred_at"] = timezone.localtime(incident.occurred_at)
        form = IncidentEditForm(initial=initial)
        status = 200
    context = {"form": form, "incident": incident, "amendment": edit_is_amendment(incident)}
    return render(request, "incidents/incident_edit.html", context, status=status)


@require_POST
@capability_required(Capability.MANAGE_INCIDENTS)
def incident_state(request, pk: int):
    incident = get_incident_for_user(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.incident_set_state(incident=incident, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(incident)
        messages.success(request, _("The follow-up was saved."))
        return redirect(incident)
    messages.error(request, _("Choose a follow-up state."))
    return redirect(incident)


@capability_required(*READERS)
def incident_photo(request, pk: int, photo_pk: int):
    from trygghet.core.photos import private_file_response

    incident = get_incident_for_user(request.user, pk)
    if not personal_data_for(request.user):
        raise PermissionDenied
    photo = get_object_or_404(incident.photos, pk=photo_pk)
    # A photo is shown inside its incident's page, after the reason asked there.
    if (
        incident_needs_reason(request.user, incident)
        and not remembered_reason(request, incident)[0]
    ):
        raise PermissionDenied
    record_read(request, incident)
    return private_file_response(photo.image)


@require_POST
@capability_required(*HOSTS)
def escalation_call(request, pk: int):
    """Recorded by the tap on a tel: link, sent with navigator.sendBeacon just before the phone
    dials. The link's client key makes a repeated tap or a retried beacon one record."""
    incident = get_incident_for_user(request.user, pk)
    form = EscalationCallForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown number."))
    try:
        services.escalation_create(
            incident=incident,
            by=request.user,
            service_number=form.cleaned_data["service_number"],
            client_key=form.cleaned_data["client_key"],
        )
    except ValidationError as error:
        return HttpResponseBadRequest(error_text(error))
    return HttpResponse(status=204)


@capability_required(*READERS)
def escalation_create(request, pk: int):
    incident = get_incident_for_user(request.user, pk)
    if not can_record_escalation(request.user, incident):
        raise PermissionDenied
    if request.method == "POST":
        form = EscalationForm(request.POST)
        if submit(
            form,
            lambda data: services.escalation_create(incident=incident, by=request.user, **data),
        ):
            messages.success(request, _("The call for help was saved."))
            return redirect(incident)
        status = 400
    else:
        form = EscalationForm(
            initial={"called_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        status = 200
    context = {"form": form, "incident": incident, "escalation": None}
    return render(request, "incidents/escalation_form.html", context, status=status)


@capability_required(*READERS)
def escalation_edit(request, pk: int):
    escalation = get_escalation_for_user(request.user, pk)
    incident = escalation.incident
    if not can_record_escalation(request.user, incident):
        raise PermissionDenied
    if request.method == "POST":
        form = EscalationEditForm(request.POST)
        if submit(
            form,
            lambda data: services.escalation_update(escalation=escalation, by=request.user, **data),
        ):
            messages.success(request, _("The call for help was saved."))
            return redirect(incident)
        status = 400
    else:
        form = EscalationEditForm(
            initial={
                "called_at": timezone.localtime(escalation.called_at),
                "arrived_at": timezone.localtime(escalation.arrived_at)
                if escalation.arrived_at
                else None,
                "reference": escalation.reference,
                "note": escalation.note,
            }
        )
        status = 200
    context = {"form": form, "incident": incident, "escalation": escalation}
    return render(request, "incidents/escalation_form.html", context, status=status)


@capability_required(*READERS)
def citizen_contact_list(request):
    contacts = Paginator(selectors.citizen_contact_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if personal_data_for(request.user):
        record_list(request, CitizenContact, rows=len(contacts.object_list))
    context = {
        "page": contacts,
        "personal": personal_data_for(request.user),
        "can_record": is_host(request.user),
    }
    return render(request, "incidents/citizen_contact_list.html", context)


@capability_required(*HOSTS)
def citizen_contact_create(request):
    shift = active_shift_for(request.user)
    if request.method == "POST":
        form = CitizenContactForm(request.POST)
        saved = submit(
            form,
            lambda data: services.citizen_contact_create(
                by=request.user, **_without_incident_flow(data)
            ),
        )
        if saved:
            return _after_contact_saved(request, saved[0], form.cleaned_data["outcome"])
        status = 400
    else:
        form = CitizenContactForm(
            initial={
                "received_at": timezone.localtime().replace(second=0, microsecond=0),
                "channel": Channel.PHONE,
                "phone_line": shift.phone_line if shift else None,
            }
        )
        status = 200
    context = {"form": form, "shift": shift, "contact": None}
    return render(request, "incidents/citizen_contact_form.html", context, status=status)


def _without_incident_flow(data: dict) -> dict:
    """ "Became an incident" is recorded when that incident is saved (it links the two)."""
    data = dict(data)
    if data["outcome"] == ContactOutcome.BECAME_INCIDENT:
        data["outcome"] = ""
    return data


def _after_contact_saved(request, contact, outcome: str):
    if outcome == ContactOutcome.BECAME_INCIDENT and contact.incident_id is None:
        messages.info(request, _("Log the incident; it is linked to the contact when saved."))
        return redirect(f"{reverse('incidents:incident-create')}?contact={contact.pk}")
    messages.success(request, _("The citizen contact was saved."))
    return redirect("incidents:citizen-contact-list")


@capability_required(*READERS)
def citizen_contact_edit(request, pk: int):
    contact = get_citizen_contact_for_user(request.user, pk)
    if not can_edit_citizen_contact(request.user, contact):
        raise PermissionDenied
    if _shows_record(request) and (
        asked := _audited(request, contact, citizen_contact_needs_reason)
    ):
        return asked
    if request.method == "POST":
        form = CitizenContactEditForm(request.POST)
        saved = submit(
            form,
            lambda data: services.citizen_contact_update(
                contact=contact,
                by=request.user,
                incident=contact.incident,
                **_without_incident_flow(data),
            ),
        )
        if saved:
            return _after_contact_saved(request, saved, form.cleaned_data["outcome"])
        status = 400
    else:
        form = CitizenContactEditForm(
            initial={
                "category": contact.category,
                "reason": contact.reason,
                "contact_details": contact.contact_details,
                "outcome": contact.outcome,
                "referred_to": contact.referred_to,
                "referred_to_other": contact.referred_to_other,
            }
        )
        status = 200
    context = {
        "form": form,
        "contact": contact,
        "shift": None,
        "legal_hold_form": _legal_hold_form(request, contact),
    }
    return render(request, "incidents/citizen_contact_form.html", context, status=status)


@capability_required(*READERS)
def night_button(request):
    """The host's two big buttons (call started / call ended with its outcome) and the list of
    calls; the chief and partners get the list."""
    shift = active_shift_for(request.user) if is_host(request.user) else None
    running = None
    if shift is not None:
        running = (
            NightButtonCall.objects.filter(shift=shift, ended_at__isnull=True)
            .select_related("phone_line")
            .first()
        )
    window = selectors.night_button_window()
    now = timezone.now()
    calls = Paginator(selectors.night_button_call_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if personal_data_for(request.user):
        record_list(request, NightButtonCall, rows=len(calls.object_list))
    context = {
        "shift": shift,
        "running": running,
        "start_form": NightButtonStartForm(),
        "open_now": window.opening_containing(now),
        "next_opening": window.next_opening(now),
        "calls": calls,
        "personal": personal_data_for(request.user),
        "can_configure": can(request.user, Capability.MANAGE_INCIDENTS),
    }
    return render(request, "incidents/night_button.html", context)


@require_POST
@capability_required(*HOSTS)
def night_button_start(request):
    form = NightButtonStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the line you answered."))
        return redirect("incidents:night-button")
    try:
        call, _created = services.night_button_call_start(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if call.outside_hours:
            messages.warning(
                request, _("Outside the night button's hours: the call is saved and flagged.")
            )
    return redirect("incidents:night-button")


@require_POST
@capability_required(*HOSTS)
def night_button_end(request, pk: int):
    call = get_night_button_call_for_user(request.user, pk)
    form = NightButtonEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the call ended."))
        return redirect("incidents:night-button")
    call = services.night_button_call_end(call=call, by=request.user, **form.cleaned_data)
    messages.success(
        request, _("The call was saved: {outcome}.").format(outcome=call.get_outcome_display())
    )
    return redirect("incidents:night-button")
