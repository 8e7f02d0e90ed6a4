from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from patrols.permissions import areas_for_user
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.forms import submit
from trygghet.core.parsing import parse_day
from trygghet.partners.assessments import services
from trygghet.partners.assessments.forms import (
    ActionForm,
    ActionProgressForm,
    AssessmentForm,
    CommentForm,
)
from trygghet.partners.assessments.periods import MeetingPeriodNights, meeting_period
from trygghet.partners.assessments.permissions import (
    READ_ACTIONS,
    actions_for_user,
    get_action_for_user,
    may_update_action,
    organisation_in_group,
    writes_assessments,
)
from trygghet.partners.assessments.selectors import assessment_with_comments
from trygghet.partners.models import CLOSED_STATUSES


def _period_or_404(kind: str, first: str) -> MeetingPeriodNights:
    """The period the URL names, if it begins on that day and has begun."""
    try:
        day = parse_day(first)
    except ValidationError:
        raise Http404 from None
    found = meeting_period(kind, day)
    if found is None or not found.has_begun():
        raise Http404
    return found


def lagesbild_url(period: MeetingPeriodNights) -> str:
    query = urlencode({"period": period.kind.value, "on": period.whole.last.isoformat()})
    return f"{reverse('dashboard:lagesbild')}?{query}#est"


def _form_page(request, period: MeetingPeriodNights, form, template: str, context: dict):
    return render(
        request,
        template,
        {"period": period, "form": form, "back": lagesbild_url(period)} | context,
        status=400 if request.method == "POST" else 200,
    )


@capability_required(Capability.WRITE_ASSESSMENTS)
def assessment_edit(request, kind: str, first: str):
    period = _period_or_404(kind, first)
    assessment = assessment_with_comments(period)
    form = AssessmentForm(
        request.POST or None, initial={"text": assessment.text if assessment else ""}
    )
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.assessment_write(
                period=period, text=data["text"], by=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The assessment is saved."))
            return redirect(lagesbild_url(period))
    return _form_page(
        request, period, form, "partners/assessment_form.html", {"is_open": period.is_open()}
    )


@capability_required(Capability.COMMENT_ASSESSMENTS)
def comment_create(request, kind: str, first: str):
    period = _period_or_404(kind, first)
    organisation = organisation_in_group(request.user)
    if organisation is None:
        raise PermissionDenied
    assessment = assessment_with_comments(period)
    if assessment is None or not assessment.text:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.assessment_comment(
                period=period,
                assessment=assessment,
                organisation=organisation,
                text=data["text"],
                by=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("Your comment is saved."))
            return redirect(lagesbild_url(period))
    return _form_page(
        request,
        period,
        form,
        "partners/comment_form.html",
        {"assessment": assessment, "organisation": organisation},
    )


@capability_required(Capability.WRITE_ASSESSMENTS)
def action_create(request, kind: str, first: str):
    period = _period_or_404(kind, first)
    form = ActionForm(request.POST or None, areas=areas_for_user(request.user))
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.action_create(
                period=period, by=request.user, **form.action_fields()
            ),
        )
        if done is not None:
            messages.success(request, _("The action is recorded."))
            return redirect(lagesbild_url(period))
    return _form_page(
        request, period, form, "partners/action_form.html", {"is_open": period.is_open()}
    )


@capability_required(*READ_ACTIONS)
def action_edit(request, pk: int):
    action = get_action_for_user(request.user, pk)
    if not may_update_action(request.user, action):
        raise PermissionDenied
    period = meeting_period(action.assessment.kind, action.assessment.first)
    assert period is not None
    chief = writes_assessments(request.user)
    if chief:
        form: ActionProgressForm = ActionForm(
            request.POST or None,
            areas=areas_for_user(request.user),
            initial=ActionForm.initial_for(action),
        )
    else:
        form = ActionProgressForm(
            request.POST or None, initial={"status": action.status, "outcome": action.outcome}
        )

    def save(data: dict):
        changes = form.action_fields() if isinstance(form, ActionForm) else data
        return services.action_update(action=action, **changes)

    if request.method == "POST" and submit(form, save) is not None:
        messages.success(request, _("The action is saved."))
        return redirect(lagesbild_url(period) if chief else reverse("assessments:action-list"))
    return _form_page(request, period, form, "partners/action_form.html", {"action": action})


@capability_required(*READ_ACTIONS)
def action_list(request):
    """The actions the user reads: open ones first, by when they are due, then those closed."""
    closed_last = Case(
        When(status__in=CLOSED_STATUSES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    actions = (
        actions_for_user(request.user)
        .select_related("assessment", "area", "organisation", "department")
        .order_by(closed_last, "due", "pk")
    )
    listed = list(actions)
    updatable = {action.pk for action in listed if may_update_action(request.user, action)}
    return render(request, "partners/action_list.html", {"actions": listed, "updatable": updatable})
