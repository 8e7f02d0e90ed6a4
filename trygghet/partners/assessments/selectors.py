"""The EST record of a period as the lägesbild and its printable report show it, in a fixed
number of queries: the assessment with its comments (two), and every action the page lists
(one), split in Python into those agreed for the period, those still open from earlier periods
and those closed since the period began."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from patrols.models import Area
from trygghet.accounts.models import User
from trygghet.core.periods import Period
from trygghet.partners.assessments.periods import MeetingPeriodNights, meeting_period
from trygghet.partners.assessments.permissions import (
    actions_for_user,
    organisation_in_group,
    reads_assessments,
    writes_assessments,
)
from trygghet.partners.models import Action, Assessment, AssessmentComment


@dataclass
class Meeting:
    period: MeetingPeriodNights
    assessment: Assessment | None
    agreed: list[Action] = field(default_factory=list)
    still_open: list[Action] = field(default_factory=list)
    closed: list[Action] = field(default_factory=list)
    may_write: bool = False
    may_comment: bool = False
    may_update_actions: bool = False

    @property
    def comments(self) -> list[AssessmentComment]:
        return list(self.assessment.comments.all()) if self.assessment else []

    @property
    def is_open(self) -> bool:
        return self.period.is_open()


def assessment_with_comments(period: MeetingPeriodNights) -> Assessment | None:
    comments = AssessmentComment.objects.select_related("organisation").order_by("created_at")
    return (
        Assessment.objects.filter(kind=period.kind, first=period.first)
        .prefetch_related(Prefetch("comments", queryset=comments))
        .first()
    )


def meeting(*, user: User, period: Period, area: Area | None = None) -> Meeting | None:
    """The record of the period the lägesbild shows (a week, a month or a tertial), or None
    for other periods and for those who do not read it. With an area chosen, the actions are
    those in that area."""
    found = meeting_period(period.kind.value, period.whole.first)
    if found is None or not reads_assessments(user):
        return None
    opened, closes = found.follow_up_window()
    earlier = Q(assessment__kind=found.kind, assessment__first__lt=found.first)
    listed = (
        actions_for_user(user)
        .filter(
            Q(assessment__kind=found.kind, assessment__first=found.first)
            | (earlier & (Q(closed_at__isnull=True) | Q(closed_at__gte=opened)))
        )
        .select_related("assessment", "area", "organisation", "department")
        .order_by("due", "pk")
    )
    if area is not None:
        listed = listed.filter(area=area)
    record = Meeting(
        period=found,
        assessment=assessment_with_comments(found),
        may_write=writes_assessments(user) and found.is_open(),
        may_comment=organisation_in_group(user) is not None and found.is_open(),
        # The follow-up goes on after the record closes: the chief keeps the status current.
        may_update_actions=writes_assessments(user),
    )
    for action in listed:
        if action.assessment.first == found.first:
            record.agreed.append(action)
        elif action.closed_at is None or action.closed_at >= closes:
            record.still_open.append(action)
        else:
            record.closed.append(action)
    return record
