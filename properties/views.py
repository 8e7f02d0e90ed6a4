from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patrols.positions import phone_position
from patrols.selectors import active_shift_for
from properties import selectors
from properties.forms import (
    CheckForm,
    DeviationFilterForm,
    ImportConfirmForm,
    ImportForm,
    PeriodForm,
    PropertyForm,
)
from properties.importing import COLUMNS, REQUIRED, parse_register
from properties.models import ChecklistItem, Deviation, Property
from properties.permissions import (
    can_follow_up,
    can_manage_register,
    can_see_access_notes,
    department_filter_for,
    deviations_for_user,
    get_deviation_for_user,
    get_property_for_user,
    get_property_to_check,
    personal_data_for,
)
from properties.services import (
    deviation_transition,
    property_check_create,
    property_import,
    property_save,
)
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.models import Department
from trygghet.accounts.policy import Capability
from trygghet.audit.reads import record_list, record_read
from trygghet.core.follow_up import step_form_for, take_step
from trygghet.core.forms import submit
from trygghet.core.photos import private_file_response
from trygghet.core.time import operational_night

READERS = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
DEVIATIONS_PER_PAGE = 50


@capability_required(Capability.WORK_SHIFTS)
def round_tonight(request):
    """The host's round: buildings due tonight in order, those closing later, those done."""
    lat, lon = phone_position(request.GET) or (None, None)
    tonight = selectors.tonights_round(user=request.user, lat=lat, lon=lon)
    points = [
        {
            "name": stop.property.name,
            "latitude": float(stop.property.latitude),
            "longitude": float(stop.property.longitude),
            "priority": stop.property.priority,
            "url": reverse("properties:property-check", args=[stop.property.pk]),
            "done": not stop.is_due,
        }
        for stop in (*tonight.due, *tonight.checked)
    ]
    context = {
        "round": tonight,
        "shift": active_shift_for(request.user),
        "points": points,
        "sorted_by_distance": lat is not None,
    }
    return render(request, "properties/round.html", context)


@capability_required(Capability.WORK_SHIFTS)
def property_check(request, pk):
    building = get_property_to_check(request.user, pk)
    status = 200
    if request.method == "POST":
        form = CheckForm(
            request.POST,
            request.FILES,
            property=building,
            all_ok="all_ok" in request.POST,
        )
        saved = submit(
            form,
            lambda data: property_check_create(
                property=building,
                by=request.user,
                results=data["results"],
                description=data["description"],
                actions=data["actions"],
                action_note=data["action_note"],
                photos=data["photos"],
                client_key=data["client_key"],
                at=data["happened_at"],
            ),
        )
        if saved:
            check, _created = saved
            if check.ok:
                messages.success(request, _("{name}: all in order.").format(name=building))
            else:
                messages.warning(
                    request,
                    _("{name}: deviation recorded; the owner is told by e-mail.").format(
                        name=building
                    ),
                )
            return redirect("properties:round")
        status = 400
    else:
        form = CheckForm(property=building)
    night = operational_night(timezone.now())
    context = {
        "property": building,
        "form": form,
        "shift": active_shift_for(request.user),
        "access_notes": building.access_notes if can_see_access_notes(request.user) else None,
        "closes": building.closes_on(night),
        # The host may not open deviations, but should know what was already found here.
        "known_deviations": building.deviations.unresolved().order_by("-found_at")[:5],
    }
    return render(request, "properties/check.html", context, status=status)


@capability_required(*READERS)
def property_list(request):
    departments = department_filter_for(request.user)
    department = None
    if departments is not None and request.GET.get("department", "").isdigit():
        department = departments.filter(pk=request.GET["department"]).first()
    search = request.GET.get("q", "").strip()
    properties = selectors.register(user=request.user, search=search, department=department)
    context = {
        "properties": properties,
        "departments": departments,
        "department": department,
        "search": search,
        "today": timezone.localdate().weekday(),
        "can_manage": can_manage_register(request.user),
        "geojson_url": reverse("api:property-list") + "?format=geojson",
    }
    return render(request, "properties/property_list.html", context)


@capability_required(*READERS)
def property_detail(request, pk):
    building = get_property_for_user(request.user, pk)
    context = {
        "property": building,
        "checks": building.checks.select_related("checked_by", "deviation")[:20],
        "deviations": building.deviations.unresolved()
        .select_related("property__department")
        .order_by("-found_at"),
        "access_notes": building.access_notes if can_see_access_notes(request.user) else None,
        "can_manage": can_manage_register(request.user),
        "today": timezone.localdate().weekday(),
    }
    return render(request, "properties/property_detail.html", context)


@capability_required(Capability.MANAGE_PROPERTIES)
def property_edit(request, pk=None):
    building = get_property_for_user(request.user, pk) if pk else None
    form = PropertyForm(request.POST or None, instance=building)
    if request.method == "POST":
        saved = submit(form, lambda data: property_save(property=building or Property(), **data))
        if saved:
            messages.success(request, _("{name} is saved.").format(name=saved))
            return redirect(saved)
        status = 400
    else:
        status = 200
    return render(
        request,
        "properties/property_form.html",
        {"form": form, "property": building},
        status=status,
    )


@capability_required(Capability.MANAGE_PROPERTIES)
def property_import_page(request):
    """Upload, preview, confirm. The preview shows every row and every error; only a file
    without errors can be confirmed, and the confirmation checks it again before writing."""
    context = {"columns": [COLUMNS[name][0] for name in REQUIRED], "upload": ImportForm()}
    if request.method != "POST":
        return render(request, "properties/import.html", context)
    if "content" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        preview = parse_register(
            confirm.cleaned_data["content"].encode() if confirm.is_valid() else b""
        )
        if preview.is_valid:
            result = property_import(preview=preview)
            messages.success(
                request,
                _("Imported: {created} new buildings, {updated} updated.").format(
                    created=result.created, updated=result.updated
                ),
            )
            return redirect("properties:property-list")
    else:
        upload = ImportForm(request.POST, request.FILES)
        if not upload.is_valid():
            context["upload"] = upload
            return render(request, "properties/import.html", context, status=400)
        preview = parse_register(upload.cleaned_data["file"])
    context["preview"] = preview
    if preview.is_valid:
        context["confirm"] = ImportConfirmForm(initial={"content": preview.text})
    return render(
        request, "properties/import.html", context, status=200 if preview.is_valid else 400
    )


@capability_required(Capability.MANAGE_PROPERTIES)
def property_import_template(request):
    """An example file in the format Swedish Excel opens directly (UTF-8 with BOM, `;`)."""
    department = Department.objects.order_by("name").first()
    header = ";".join(COLUMNS[name][0] for name in (*REQUIRED, "priority", "contact_email"))
    example = ";".join(
        [
            "Exempelskolan",
            "Skolgatan 1",
            "59,6099",
            "16,5448",
            department.name if department else "Utbildningsförvaltningen",
            "18:00",
            "18:00",
            "18:00",
            "18:00",
            "17:00",
            "",
            "",
            "normal",
            "",
        ]
    )
    response = HttpResponse(
        "\ufeff" + header + "\r\n" + example + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="fastighetsregister.csv"'
    return response


@capability_required(*READERS)
def deviation_list(request):
    departments = department_filter_for(request.user)
    form = DeviationFilterForm(request.GET, departments=departments)
    deviations = deviations_for_user(request.user)
    valid = form.is_valid()
    deviations = form.filter(deviations) if valid else deviations.none()
    page = Paginator(deviations.order_by("found_at", "id"), DEVIATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if personal_data_for(request.user):
        record_list(request, Deviation, rows=len(page.object_list))
    return render(
        request,
        "properties/deviation_list.html",
        {"form": form, "page": page, "deviations": page.object_list},
        status=200 if valid else 400,
    )


def _deviation_page(request, deviation, form=None, status=200, errors=()):
    if personal_data_for(request.user):
        record_read(request, deviation)
    context = {
        "deviation": deviation,
        "check": deviation.property_check,
        "steps": deviation.steps.select_related("by"),
        "photos": deviation.photos.all(),
        "form": form
        or step_form_for(deviation, may_follow_up=can_follow_up(request.user, deviation)),
        # In the checklist's own order (the database keeps the answers' keys sorted its way).
        "checklist": [
            (item, deviation.property_check.results[item])
            for item in ChecklistItem
            if item in deviation.property_check.results
        ],
        "errors": errors,
    }
    return render(request, "properties/deviation_detail.html", context, status=status)


@capability_required(*READERS)
def deviation_detail(request, pk):
    return _deviation_page(request, get_deviation_for_user(request.user, pk))


@require_POST
@capability_required(Capability.MANAGE_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
def deviation_step(request, pk):
    deviation = get_deviation_for_user(request.user, pk)
    if not can_follow_up(request.user, deviation):
        raise PermissionDenied
    return take_step(
        request,
        deviation,
        transition=partial(deviation_transition, deviation=deviation),
        page=partial(_deviation_page, request, deviation),
        done=_("The deviation is now {state}."),
    )


@capability_required(*READERS)
def deviation_photo(request, pk, photo_pk):
    deviation = get_deviation_for_user(request.user, pk)
    photo = get_object_or_404(deviation.photos, pk=photo_pk)
    record_read(request, deviation)
    return private_file_response(photo.image)


@capability_required(Capability.VIEW_PROPERTIES)
def figures(request):
    last_night = operational_night(timezone.now()) - timedelta(days=1)
    form = PeriodForm(request.GET or PeriodForm.default_for(last_night))
    if not form.is_valid():
        return render(request, "properties/figures.html", {"form": form}, status=400)
    result = selectors.property_figures(
        user=request.user,
        first_night=form.cleaned_data["first"],
        last_night=form.cleaned_data["last"],
    )
    peak = max((night["checks"] for night in result.nights), default=0)
    return render(
        request, "properties/figures.html", {"form": form, "figures": result, "peak": peak}
    )
