from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.forms import ModelForm
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from patrols import panels, permissions, services
from patrols.forms import (
    AreaForm,
    ArriveForm,
    AssignmentForm,
    ConsultationFormSet,
    DialogueForm,
    MomentForm,
    PhoneLineForm,
    PresenceForm,
    ShiftEndForm,
    ShiftForm,
    ShiftStartForm,
    VehicleForm,
    WeekCopyForm,
    consultations_of,
    week_label,
)
from patrols.geo import area_at, area_feature, overlaps
from patrols.models import (
    Area,
    AreaVersion,
    Assignment,
    PhoneLine,
    Shift,
    ShiftState,
    Vehicle,
)
from patrols.positions import phone_position
from patrols.selectors import (
    areas_tonight,
    kilometres_by_night,
    presence,
    shift_for_host_now,
    shifts_in_week,
    with_hosts,
)
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.forms import error_text, submit
from trygghet.core.geojson import feature, feature_collection
from trygghet.core.parsing import query_day
from trygghet.core.time import operational_night

plans = capability_required(Capability.PLAN_PATROLS)
works = capability_required(Capability.WORK_SHIFTS)


def _form_page(
    request,
    form,
    *,
    title: str,
    back: str,
    back_label: str,
    submit: str,
    formset=None,
    formset_title: str = "",
):
    """The chief's edit pages: a form (and the rows of a formset under it) with a way back."""
    context = {
        "form": form,
        "formset": formset,
        "formset_title": formset_title,
        "title": title,
        "back_url": reverse(back),
        "back_label": back_label,
        "submit_label": submit,
    }
    return render(request, "patrols/form_page.html", context)


# --- Areas (the chief)


@plans
@require_GET
def area_list(request):
    areas = Area.objects.annotate(
        assignment_count=Count("assignments", filter=_current_assignments())
    ).order_by("-active", "name")
    return render(request, "patrols/area_list.html", {"areas": areas})


def _current_assignments() -> Q:
    today = timezone.localdate()
    return Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gte=today)


@plans
def area_edit(request, pk: int | None = None):
    area = permissions.get_area_to_plan(request.user, pk) if pk else None
    form = AreaForm(request.POST or None, instance=area)

    def save(data):
        data = {field: data[field] for field in ("name", "kind", "notes", "boundary")}
        data["reason"] = form.cleaned_data.get("reason", "")
        if area:
            return services.area_update(area=area, by=request.user, **data)
        return services.area_create(by=request.user, **data)

    if request.method == "POST" and (saved := submit(form, save)):
        messages.success(request, _("The area {name} is saved.").format(name=saved.name))
        if overlaps(saved.boundary, exclude=saved):
            # Saved, but the chief sees where it overlaps (its page draws it) before moving on.
            return redirect("patrols:area-update", pk=saved.pk)
        return redirect("patrols:area-list")
    return render(request, "patrols/area_form.html", area_page(request, form, area))


def _overlap_warning(found) -> str:
    return _(
        "The area overlaps {areas}. A position in the overlap belongs to the smallest area."
    ).format(
        areas=", ".join(
            _("{name} ({size} m²)").format(
                name=o.area.name, size=number_format(o.square_metres, force_grouping=True)
            )
            for o in found
        )
    )


def area_page(request, form, area: Area | None) -> dict:
    """The area's map with what the chief needs beside the drawing: where it overlaps other
    areas (drawn in red), its versions, and on request its boundary as it was on a date."""
    drawn = form.cleaned_data.get("boundary") if form.is_bound and form.is_valid() else None
    drawn = drawn or (area.boundary if area else None)
    found = overlaps(drawn, exclude=area) if drawn else []
    context: dict = {
        "form": form,
        "area": area,
        "overlaps": found,
        "overlap_warning": _overlap_warning(found) if found else "",
        "overlap_data": feature_collection(
            feature(o.boundary, {"name": o.area.name, "square_metres": o.square_metres})
            for o in found
        ),
    }
    if area:
        context["versions"] = area.versions.select_related("changed_by").order_by("-number")
        if on := query_day(request.GET, "on"):
            then = AreaVersion.objects.as_on(on).filter(area=area).first()
            context["on"] = on
            context["version_on"] = then
            context["then_data"] = then.boundary if then else None
    return context


@plans
@require_POST
def area_active(request, pk: int):
    area = permissions.get_area_to_plan(request.user, pk)
    active = request.POST.get("active") == "1"
    services.area_set_active(area=area, active=active)
    message = _("{name} is in use again.") if active else _("{name} is no longer in use.")
    messages.success(request, message.format(name=area.name))
    return redirect("patrols:area-update", pk=area.pk)


# --- Assignments (the chief)


@plans
@require_GET
def assignment_list(request):
    now = timezone.now()
    tonight = areas_tonight(now)
    assignments = (
        Assignment.objects.current(timezone.localdate())
        .select_related("area")
        .order_by("priority", "area__name", "id")
    )
    return render(
        request,
        "patrols/assignment_list.html",
        {
            "assignments": assignments,
            "tonight": tonight,
            "night": operational_night(now),
            "map_data": feature_collection(
                area_feature(entry.area, priority=entry.priority) for entry in tonight
            ),
        },
    )


@plans
def assignment_edit(request, pk: int | None = None):
    assignment = permissions.get_assignment_to_plan(request.user, pk) if pk else None
    form = AssignmentForm(request.POST or None, instance=assignment)
    # A post without the parties' rows (a form from before they existed) leaves them as they are.
    with_parties = "consulted-TOTAL_FORMS" in request.POST
    formset = ConsultationFormSet(
        request.POST if with_parties else None,
        instance=assignment or Assignment(),
        prefix="consulted",
    )
    if request.method == "POST" and form.is_valid() and (not with_parties or formset.is_valid()):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if with_parties:
            fields["consultations"] = consultations_of(formset)
        if assignment:
            services.assignment_update(assignment=assignment, **fields)
        else:
            services.assignment_create(created_by=request.user, **fields)
        messages.success(request, _("The assignment is saved."))
        return redirect("patrols:assignment-list")
    return _form_page(
        request,
        form,
        title=_("Assignment in {area}").format(area=assignment.area)
        if assignment
        else _("New assignment"),
        back="patrols:assignment-list",
        back_label=_("Assignments"),
        submit=_("Save assignment"),
        formset=formset,
        formset_title=_("Also consulted"),
    )


@plans
@require_POST
def assignment_end(request, pk: int):
    assignment = permissions.get_assignment_to_plan(request.user, pk)
    services.assignment_end(assignment=assignment, on=timezone.localdate())
    messages.success(
        request, _("The assignment in {area} ends today.").format(area=assignment.area)
    )
    return redirect("patrols:assignment-list")


# --- Shift planning (the chief)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_url(day: date) -> str:
    return reverse("patrols:shift-week") + f"?week={_monday(day)}"


@plans
@require_GET
def shift_week(request):
    """The week a ?week=YYYY-MM-DD names; this week when it names none."""
    monday = _monday(query_day(request.GET, "week") or timezone.localdate())
    shifts = list(shifts_in_week(monday))
    days = [
        {
            "day": monday + timedelta(days=n),
            "shifts": [
                s
                for s in shifts
                if timezone.localtime(s.planned_start).date() == monday + timedelta(days=n)
            ],
        }
        for n in range(7)
    ]
    return render(
        request,
        "patrols/shift_week.html",
        {
            "monday": monday,
            "week_label": week_label(monday),
            "days": days,
            "previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1),
            "today": timezone.localdate(),
            "copy_form": WeekCopyForm(week=monday),
            "has_shifts": any(s.state != ShiftState.CANCELLED for s in shifts),
        },
    )


@plans
def shift_edit(request, pk: int | None = None):
    shift = permissions.get_shift_to_plan(request.user, pk) if pk else None
    if shift:
        shift = with_hosts(Shift.objects.filter(pk=shift.pk)).get()
        if shift.state != ShiftState.PLANNED:
            messages.error(request, _("Only a planned shift can be changed."))
            return redirect(_week_url(timezone.localdate(shift.planned_start)))
        initial = ShiftForm.initial_for(shift)
    else:
        # The usual evening shift, on the day the chief clicked.
        day = query_day(request.GET, "day") or timezone.localdate()
        initial = {"day": day, "start": "21:00", "end": "03:00"}
    form = ShiftForm(request.POST or None, initial=initial)

    def save(data):
        fields = ("planned_start", "planned_end", "hosts", "vehicle", "phone_line")
        plan = {field: data[field] for field in fields}
        if shift:
            return services.shift_update(shift=shift, **plan)
        return services.shift_plan(created_by=request.user, **plan)

    if request.method == "POST" and (saved := submit(form, save)):
        messages.success(request, _("The shift is saved."))
        return redirect(_week_url(timezone.localdate(saved.planned_start)))
    return _form_page(
        request,
        form,
        title=_("Change shift") if shift else _("New shift"),
        back="patrols:shift-week",
        back_label=_("Shifts"),
        submit=_("Save shift"),
    )


@plans
@require_POST
def shift_cancel(request, pk: int):
    shift = permissions.get_shift_to_plan(request.user, pk)
    try:
        services.shift_cancel(shift=shift)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The shift is cancelled."))
    return redirect(_week_url(timezone.localdate(shift.planned_start)))


@plans
@require_POST
def shift_copy(request):
    monday = _monday(query_day(request.POST, "week") or timezone.localdate())
    form = WeekCopyForm(request.POST, week=monday)
    if not form.is_valid():
        messages.error(request, _("Choose a week to copy to."))
        return redirect(_week_url(monday))
    to_week = form.cleaned_data["to_week"]
    try:
        copies = services.shift_week_copy(week=monday, to_week=to_week, created_by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_week_url(monday))
    messages.success(
        request,
        _("{count} shifts copied to {week}.").format(count=len(copies), week=week_label(to_week)),
    )
    return redirect(_week_url(to_week))


# --- Vehicles and phone lines (the chief)

RESOURCES: dict[str, tuple[type[Vehicle] | type[PhoneLine], type[ModelForm]]] = {
    "vehicle": (Vehicle, VehicleForm),
    "phone-line": (PhoneLine, PhoneLineForm),
}


@plans
@require_GET
def resources(request):
    return render(
        request,
        "patrols/resources.html",
        {
            "vehicles": Vehicle.objects.annotate(last_used=Max("shifts__planned_start")),
            "phone_lines": PhoneLine.objects.all(),
        },
    )


@plans
def resource_edit(request, kind: str, pk: int | None = None):
    """A car or a phone line: plain data of one row each."""
    if kind not in RESOURCES:
        raise Http404
    model, form_class = RESOURCES[kind]
    # One of the two models; the checker joins them to Model.
    instance = cast("Vehicle | PhoneLine | None", get_object_or_404(model, pk=pk) if pk else None)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and (
        saved := submit(
            form, lambda data: services.resource_save(resource=instance or model(), **data)
        )
    ):
        messages.success(request, _("{name} is saved.").format(name=saved))
        return redirect("patrols:resources")
    return _form_page(
        request,
        form,
        title=str(instance) if instance else str(capfirst(model._meta.verbose_name)),
        back="patrols:resources",
        back_label=_("Vehicles and phone lines"),
        submit=_("Save"),
    )


# --- Presence (the chief's key figure)


@plans
@require_GET
def presence_report(request):
    night = operational_night(timezone.now())
    last_week = {"first": str(night - timedelta(days=6)), "last": str(night)}
    form = PresenceForm(request.GET if "first" in request.GET else last_week)
    rows, driven = [], []
    if form.is_valid():
        area = form.cleaned_data["area"]
        first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        rows = presence(first_night=first, last_night=last, area_ids=[area.pk] if area else None)
        driven = kilometres_by_night(first, last)
    quick = [
        (label, night - timedelta(days=days - 1), night)
        for label, days in ((_("Last 7 nights"), 7), (_("Last 30 nights"), 30))
    ]
    return render(
        request,
        "patrols/presence.html",
        {
            "form": form,
            "rows": rows,
            "summary": rows[0] if rows else None,
            "quick": quick,
            "driven": driven,
            "kilometres": sum(night.kilometres for night in driven),
        },
    )


# --- The host's night


@works
@require_GET
def my_shifts(request):
    now = timezone.now()
    shifts = with_hosts(Shift.objects.for_host(request.user)).exclude(state=ShiftState.CANCELLED)
    return render(
        request,
        "patrols/my_shifts.html",
        {
            "upcoming": shifts.filter(planned_end__gt=now).order_by("planned_start")[:20],
            "recent": shifts.filter(planned_end__lte=now).order_by("-planned_start")[:10],
        },
    )


@works
@require_POST
def shift_start(request, pk: int):
    shift = permissions.get_shift_to_work(request.user, pk)
    form = ShiftStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the car and the phone you have."))
        return redirect("start")
    try:
        services.shift_start(shift=shift, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your shift has started. Take care out there."))
    return redirect("start")


@works
def shift_end(request, pk: int):
    shift = permissions.get_shift_to_work(request.user, pk)
    form = ShiftEndForm(request.POST or None, shift=shift)

    def end(data):
        return services.shift_end(shift=shift, by=request.user, **data)

    if request.method == "POST" and submit(form, end):
        messages.success(request, _("Your shift has ended. Thank you!"))
        return redirect("start")
    if request.method == "GET":
        # Reading the page is a view of the shift, for its own hosts only.
        shift = permissions.get_shift_for_user(request.user, pk)
        if shift.state != ShiftState.ACTIVE:
            messages.info(request, _("This shift is not going on."))
            return redirect("start")
    visits = shift.visits.select_related("area").order_by("arrived_at")
    return render(
        request, "patrols/shift_end.html", {"form": form, "shift": shift, "visits": visits}
    )


def _after_tap(request, error: ValidationError | None = None, done: str = ""):
    """The tonight panel again (for htmx), or back to the start page with a message."""
    if request.headers.get("HX-Request"):
        context = {
            "data": panels.tonight(request),
            "error": error and error_text(error),
            "oob": True,
        }
        return render(request, "patrols/_tonight.html", context)
    if error:
        messages.error(request, error_text(error))
    elif done:
        messages.success(request, done)
    return redirect(reverse("start") + "#tonight")


@works
@require_POST
def visit_arrive(request):
    form = ArriveForm(request.POST)
    shift = shift_for_host_now(request.user, timezone.now())
    if not form.is_valid() or shift is None:
        return _after_tap(request, ValidationError(_("Start your shift and choose an area.")))
    area = form.cleaned_data["area"]
    try:
        services.visit_arrive(
            shift=shift,
            area=area,
            by=request.user,
            client_key=form.cleaned_data["client_key"],
            at=form.cleaned_data["happened_at"],
        )
    except ValidationError as error:
        return _after_tap(request, error)
    return _after_tap(request, done=_("Arrived in {area}.").format(area=area))


@works
@require_POST
def visit_leave(request, pk: int):
    visit = permissions.get_visit_to_record(request.user, pk)
    form = MomentForm(request.POST)
    if not form.is_valid():
        return _after_tap(request, ValidationError(form.errors.as_text()))
    try:
        services.visit_leave(visit=visit, by=request.user, at=form.cleaned_data["happened_at"])
    except ValidationError as error:
        return _after_tap(request, error)
    return _after_tap(request, done=_("Left {area}.").format(area=visit.area))


@works
@require_POST
def visit_dialogue(request, pk: int):
    visit = permissions.get_visit_to_record(request.user, pk)
    form = DialogueForm(request.POST)
    if not form.is_valid():
        return _after_tap(request, ValidationError(_("Tap the button again.")))
    try:
        services.visit_count_dialogue(visit=visit, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _after_tap(request, error)
    return _after_tap(request)


@works
@require_GET
def area_here(request):
    """Which area the phone is in, suggested as a one-tap arrival (htmx partial)."""
    position = phone_position(request.GET)
    area = area_at(lat=position[0], lon=position[1]) if position else None
    shift = shift_for_host_now(request.user, timezone.now())
    return render(
        request,
        "patrols/_area_here.html",
        {
            "area": area,
            "located": position is not None,
            "can_arrive": shift is not None and shift.state == ShiftState.ACTIVE,
            "arrive_key": uuid.uuid4(),
        },
    )
