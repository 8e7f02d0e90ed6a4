"""The partner's weekly report on the web: choose the week, fill in the rows or upload the
organisation's own file, see it back and correct it until the chief closes the week."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trygghet.accounts.decorators import capability_required
from trygghet.core.forms import error_text
from trygghet.core.parsing import parse_week
from trygghet.partners.forms import (
    CategoryMappingFormSet,
    ReportRowFormSet,
    UploadConfirmForm,
    UploadForm,
    UploadLayoutForm,
    WeekChoiceForm,
    grouped_categories,
    iso_week,
)
from trygghet.partners.models import CategoryMapping, ClosedWeek, ReportRow, ReportSource
from trygghet.partners.permissions import (
    REPORTERS,
    get_organisation_to_report_for,
    organisations_to_report_for,
    reports_for_all,
    reports_for_user,
)
from trygghet.partners.services import (
    RowsRefused,
    areas_seen_by,
    closed_message,
    event_categories,
    is_closed,
    upload_layout_for,
    upload_layout_save,
    week_label,
    weekly_report_submit,
)
from trygghet.partners.uploads import parse_upload, uploaded_rows

REPORTS_PER_PAGE = 50


@capability_required(*REPORTERS)
def report_list(request):
    """The reports the user may read, newest week first, and the way to report a week."""
    organisations = organisations_to_report_for(request.user)
    choice = WeekChoiceForm(
        request.GET if "week" in request.GET else None,
        organisations=organisations,
        reports_for_all=reports_for_all(request.user),
    )
    if choice.is_bound and choice.is_valid():
        return redirect(
            "partners:report-edit",
            organisation=choice.cleaned_data["organisation"].pk,
            week=iso_week(choice.cleaned_data["week"]),
        )
    reports = (
        reports_for_user(request.user)
        .select_related("organisation")
        .annotate(
            row_count=Count("rows"),
            closed=Exists(ClosedWeek.objects.filter(week=OuterRef("week"))),
        )
        .order_by("-week", "organisation__name")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/report_list.html",
        {"choice": choice, "page": page, "organisations": organisations},
        status=400 if choice.is_bound else 200,
    )


def _row_forms(organisation, week: date, data=None, initial=None):
    categories = {category.pk: category for category in event_categories()}
    their_names: dict[int, list[str]] = {}
    for mapping in CategoryMapping.objects.filter(organisation=organisation):
        their_names.setdefault(mapping.category_id, []).append(mapping.their_name)
    return ReportRowFormSet(
        data,
        initial=initial,
        form_kwargs={
            "week": week,
            "areas": areas_seen_by(organisation),
            "categories": categories,
            "category_choices": grouped_categories(list(categories.values()), their_names),
        },
    )


def _initial(report_rows) -> list[dict]:
    return [
        {
            "night": row.night.isoformat(),
            "area": row.area_id,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "category": row.category_id,
            "count": row.count,
            "note": row.note,
        }
        for row in report_rows
    ]


def _week(text: str) -> date:
    """The week a URL names (2026-W47); a week that cannot be meant is a 404."""
    try:
        return parse_week(text)
    except ValidationError:
        raise Http404 from None


@capability_required(*REPORTERS)
def report_edit(request, organisation, week):
    """The organisation's report for the week: its rows to correct, or to read once closed."""
    organisation = get_organisation_to_report_for(request.user, organisation)
    week = _week(week)
    report = reports_for_user(request.user).filter(organisation=organisation, week=week).first()
    rows = (
        ReportRow.objects.filter(report=report).select_related("area", "category")
        if report
        else ReportRow.objects.none()
    )
    closed = is_closed(week)
    status = 200
    formset = None
    if closed and request.method == "POST":
        messages.error(request, closed_message(week))
        status = 400
    if not closed:
        initial = _initial(rows)
        if request.method == "POST":
            formset = _row_forms(organisation, week, data=request.POST, initial=initial)
            if formset.is_valid():
                entered = formset.rows()
                try:
                    submitted = weekly_report_submit(
                        organisation=organisation,
                        week=week,
                        rows=[row for _form, row in entered],
                        by=request.user,
                        source=ReportSource.FORM,
                    )
                except RowsRefused as refused:
                    for index, fields in refused.rows.items():
                        form = entered[index][0]
                        for field, field_messages in fields.items():
                            form.add_error(field if field in form.fields else None, field_messages)
                except ValidationError as error:
                    messages.error(request, error_text(error))
                else:
                    messages.success(
                        request,
                        _("Saved: {week}, {count} rows.").format(
                            week=week_label(week), count=len(entered)
                        )
                        if submitted.changed
                        else _("Nothing had changed."),
                    )
                    return redirect(request.path)
            status = 400
        else:
            formset = _row_forms(organisation, week, initial=initial)
    return render(
        request,
        "partners/report_edit.html",
        {
            "organisation": organisation,
            "week": week,
            "week_label": week_label(week),
            "report": report,
            "rows": rows,
            "closed": closed,
            "formset": formset,
        },
        status=status,
    )


@capability_required(*REPORTERS)
def report_upload(request, organisation, week):
    """Upload, preview, confirm: every row is shown with its errors, and only a file without
    any is taken; the confirmation reads and checks the same file again before writing."""
    organisation = get_organisation_to_report_for(request.user, organisation)
    week = _week(week)
    layout = upload_layout_for(organisation)
    context = {
        "organisation": organisation,
        "week": week,
        "week_label": week_label(week),
        "layout": layout,
        "closed": is_closed(week),
        "upload": UploadForm(),
    }
    if context["closed"] and request.method == "POST":
        messages.error(request, closed_message(week))
        return render(request, "partners/upload.html", context, status=400)
    if request.method != "POST" or context["closed"]:
        return render(request, "partners/upload.html", context)
    if "content" in request.POST:
        confirm = UploadConfirmForm(request.POST)
        data = _decoded(confirm)
    else:
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            context["upload"] = upload
            return render(request, "partners/upload.html", context, status=400)
        data, confirm = upload.cleaned_data["file"], None
    preview = parse_upload(data, layout=layout, organisation=organisation, week=week)
    if preview.is_valid and confirm is not None:
        try:
            weekly_report_submit(
                organisation=organisation,
                week=week,
                rows=uploaded_rows(preview),
                by=request.user,
                source=ReportSource.UPLOAD,
            )
        except ValidationError as error:
            preview.errors.extend(error.messages)
        else:
            messages.success(
                request,
                _("Imported: {week}, {count} rows.").format(
                    week=week_label(week), count=len(preview.rows)
                ),
            )
            return redirect(
                "partners:report-edit", organisation=organisation.pk, week=iso_week(week)
            )
    context["preview"] = preview
    if preview.is_valid:
        context["confirm"] = UploadConfirmForm(initial={"content": base64.b64encode(data).decode()})
    return render(request, "partners/upload.html", context, status=200 if preview.is_valid else 400)


def _decoded(confirm: UploadConfirmForm) -> bytes:
    if not confirm.is_valid():
        return b""
    try:
        return base64.b64decode(confirm.cleaned_data["content"], validate=True)
    except (binascii.Error, ValueError):
        return b""


@capability_required(*REPORTERS)
def upload_layout(request, organisation):
    """Which of the organisation's columns hold what, and its own names for our categories:
    saved for every upload (and API call) after."""
    organisation = get_organisation_to_report_for(request.user, organisation)
    categories = {category.pk: category for category in event_categories()}
    mapped = CategoryMapping.objects.filter(organisation=organisation)
    options = {
        "prefix": "mapping",
        "form_kwargs": {
            "categories": categories,
            "category_choices": grouped_categories(list(categories.values()), {}),
        },
    }
    form = UploadLayoutForm(request.POST or None, instance=upload_layout_for(organisation))
    mappings = CategoryMappingFormSet(
        request.POST or None,
        initial=[{"their_name": m.their_name, "category": m.category_id} for m in mapped],
        **options,
    )
    context = {"organisation": organisation, "form": form, "mappings": mappings}
    if request.method != "POST":
        return render(request, "partners/upload_layout.html", context)
    if form.is_valid() and mappings.is_valid():
        try:
            upload_layout_save(
                organisation=organisation,
                mappings=mappings.mappings(),
                **{field: form.cleaned_data[field] for field in UploadLayoutForm.Meta.fields},
            )
        except ValidationError as error:
            mappings._non_form_errors = mappings.error_class(error.messages)
        else:
            messages.success(request, _("The layout is saved."))
            return redirect(request.get_full_path())
    return render(request, "partners/upload_layout.html", context, status=400)
