"""Every write of the EST group's record: the assessment, comments and actions. Each runs in one
transaction and locks what it changes, so nothing is half-saved and two writers never lose each
other's change."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patrols.models import Area
from trygghet.accounts.models import Department, Organisation, User
from trygghet.core.parsing import check_day
from trygghet.partners.assessments.periods import MeetingPeriodNights
from trygghet.partners.models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Assessment,
    AssessmentComment,
)


def _require_open(period: MeetingPeriodNights) -> None:
    if not period.is_open():
        raise ValidationError(
            _("The record of this period is closed: it could be written until {last}.").format(
                last=period.next.last.isoformat()
            ),
            code="closed",
        )


def _locked_assessment(period: MeetingPeriodNights, by: User) -> Assessment:
    """The period's assessment, made (without text) when it does not exist, and locked."""
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        kind=period.kind, first=period.first, defaults={"written_by": by}
    )
    return assessment


def assessment_write(*, period: MeetingPeriodNights, text: str, by: User) -> Assessment:
    _require_open(period)
    with transaction.atomic():
        assessment = _locked_assessment(period, by)
        assessment.text = text.strip()
        assessment.written_by = by
        assessment.save()
    return assessment


def assessment_comment(
    *,
    period: MeetingPeriodNights,
    assessment: Assessment,
    organisation: Organisation,
    text: str,
    by: User,
) -> AssessmentComment:
    _require_open(period)
    if not assessment.text:
        raise ValidationError(_("There is no assessment to comment on yet."), code="no_text")
    return AssessmentComment.objects.create(
        assessment=assessment, organisation=organisation, written_by=by, text=text.strip()
    )


def _check_owner(organisation: Organisation | None, department: Department | None) -> None:
    if organisation is not None and department is not None:
        raise ValidationError(
            {"who": _("Choose one who does it: an organisation or a department.")}, code="owner"
        )


def _set_status(action: Action, status: str) -> None:
    """The status, and when it closed: kept at the first close, cleared when reopened."""
    if status in CLOSED_STATUSES:
        if action.closed_at is None or action.status not in CLOSED_STATUSES:
            action.closed_at = timezone.now()
    else:
        action.closed_at = None
    action.status = status


def action_create(
    *,
    period: MeetingPeriodNights,
    by: User,
    what: str,
    due: date,
    area: Area | None = None,
    organisation: Organisation | None = None,
    department: Department | None = None,
    status: str = ActionStatus.OPEN,
    outcome: str = "",
) -> Action:
    _require_open(period)
    _check_owner(organisation, department)
    check_day(due)
    with transaction.atomic():
        action = Action(
            assessment=_locked_assessment(period, by),
            what=what.strip(),
            area=area,
            organisation=organisation,
            department=department,
            due=due,
            outcome=outcome.strip(),
            created_by=by,
        )
        _set_status(action, status)
        action.save()
    return action


def action_update(*, action: Action, **changes) -> Action:
    """Change an action: its status and outcome, by whoever follows it up; what, where, who and
    by when, by the chief (the view offers only the fields the user may change)."""
    if "due" in changes:
        check_day(changes["due"])
    _check_owner(
        changes.get("organisation", action.organisation),
        changes.get("department", action.department),
    )
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        status = changes.pop("status", locked.status)
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        _set_status(locked, status)
        locked.save()
    return locked
