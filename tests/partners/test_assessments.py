"""The EST record as the services write it and the lägesbild reads it: an assessment per period,
comments, actions and their follow-up in the periods after."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.accounts.factories import DepartmentFactory, OrganisationFactory
from tests.partners.factories import ActionFactory, AssessmentFactory
from tests.partners.meeting import WEEK_46, WEEK_47, WEEK_48, morning  # noqa: F401
from tests.patrols.factories import AreaFactory
from trygghet.core.periods import PeriodKind, period
from trygghet.partners.assessments import services
from trygghet.partners.assessments.periods import meeting_period
from trygghet.partners.assessments.selectors import meeting
from trygghet.partners.models import Action, ActionStatus, Assessment, AssessmentComment

pytestmark = pytest.mark.usefixtures("morning")


def week(first: date):
    found = meeting_period("week", first)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("kind", "first", "exists"),
    [
        ("week", date(2026, 11, 16), True),
        ("week", date(2026, 11, 17), False),  # a Tuesday
        ("month", date(2026, 11, 1), True),
        ("month", date(2026, 11, 2), False),
        ("tertial", date(2026, 9, 1), True),
        ("tertial", date(2026, 10, 1), False),
        ("year", date(2026, 1, 1), False),
    ],
)
def test_a_record_belongs_to_a_period_that_begins_on_its_first_night(kind, first, exists):
    assert (meeting_period(kind, first) is not None) is exists


def test_the_database_refuses_an_assessment_that_does_not_begin_its_period(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(kind="tertial", first=date(2026, 10, 1))


def test_each_period_has_its_own_assessment(persona):
    chief = persona("chief")
    services.assessment_write(period=week(WEEK_47), text="Veckan", by=chief)
    november = meeting_period("month", date(2026, 11, 1))
    services.assessment_write(period=november, text="Månaden", by=chief)
    services.assessment_write(period=week(WEEK_47), text="Veckan, rättad", by=chief)
    assert dict(Assessment.objects.values_list("kind", "text")) == {
        "week": "Veckan, rättad",
        "month": "Månaden",
    }
    shown = meeting(user=chief, period=period(PeriodKind.MONTH, on=date(2026, 11, 20)))
    assert shown is not None and shown.assessment.text == "Månaden"
    # The last seven nights are no period the group meets about.
    assert meeting(user=chief, period=period(PeriodKind.SEVEN_NIGHTS)) is None


def test_the_record_is_written_until_the_next_period_ends(persona, morning):  # noqa: F811
    chief = persona("chief")
    with pytest.raises(ValidationError):
        services.assessment_write(period=week(WEEK_46), text="För sent", by=chief)
    with pytest.raises(ValidationError):
        services.action_create(period=week(WEEK_46), by=chief, what="x", due=date(2026, 12, 1))
    assert not Assessment.objects.exists()
    services.assessment_write(period=week(WEEK_47), text="I tid", by=chief)
    morning.move_to(datetime(2026, 11, 30, 0, 1, tzinfo=ZoneInfo("Europe/Stockholm")))
    with pytest.raises(ValidationError):
        services.assessment_write(period=week(WEEK_47), text="Nu är det stängt", by=chief)
    assert Assessment.objects.get().text == "I tid"


def test_a_comment_is_made_for_an_organisation_and_needs_an_assessment(persona):
    chief, partner = persona("chief"), persona("partner")
    police = OrganisationFactory(name="Polisen Enköping")
    empty = services.action_create(
        period=week(WEEK_47), by=chief, what="x", due=date(2026, 12, 1)
    ).assessment
    with pytest.raises(ValidationError):
        services.assessment_comment(
            period=week(WEEK_47), assessment=empty, organisation=police, text="?", by=partner
        )
    assessment = services.assessment_write(period=week(WEEK_47), text="Lugnt", by=chief)
    services.assessment_comment(
        period=week(WEEK_47), assessment=assessment, organisation=police, text="Ja", by=partner
    )
    assert AssessmentComment.objects.get().organisation == police


def test_an_action_has_one_owner_and_a_believable_due_date(persona):
    chief = persona("chief")
    with pytest.raises(ValidationError):
        services.action_create(
            period=week(WEEK_47),
            by=chief,
            what="x",
            due=date(2026, 12, 1),
            organisation=OrganisationFactory(),
            department=DepartmentFactory(),
        )
    with pytest.raises(ValidationError):
        services.action_create(period=week(WEEK_47), by=chief, what="x", due=date(9999, 12, 31))
    assert not Action.objects.exists()
    assert not Assessment.objects.exists()


def test_closing_an_action_records_when_and_reopening_clears_it(persona):
    action = ActionFactory()
    done = services.action_update(action=action, status=ActionStatus.DONE, outcome="Sanerat")
    assert done.closed_at is not None
    first_close = done.closed_at
    dropped = services.action_update(action=done, status=ActionStatus.DROPPED)
    assert dropped.closed_at == first_close
    reopened = services.action_update(action=dropped, status=ActionStatus.IN_PROGRESS)
    assert reopened.closed_at is None


def test_actions_are_carried_to_the_next_period(persona, morning):  # noqa: F811
    """Agreed at week 47's meeting (held in week 48): week 47 lists them as agreed; week 48's
    follow-up lists the open one and the one done, with what came of it."""
    chief = persona("chief")
    centrum = AreaFactory(name="Centrum")
    lights = services.action_create(
        period=week(WEEK_47), by=chief, what="Byt belysning", due=date(2026, 12, 4), area=centrum
    )
    patrol = services.action_create(
        period=week(WEEK_47), by=chief, what="Närvaro fredagar", due=date(2026, 12, 11)
    )
    services.action_update(action=lights, status=ActionStatus.DONE, outcome="Fyra lampor bytta")
    # An action of an earlier week closed before week 48 began is not followed up any more.
    old = ActionFactory(assessment=AssessmentFactory(first=WEEK_46, written_by=chief))
    Action.objects.filter(pk=old.pk).update(
        status=ActionStatus.DONE,
        closed_at=datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
    )

    agreed = meeting(user=chief, period=period(PeriodKind.WEEK, on=WEEK_47))
    assert [a.what for a in agreed.agreed] == ["Byt belysning", "Närvaro fredagar"]
    assert agreed.closed == [old]

    following = meeting(user=chief, period=period(PeriodKind.WEEK, on=WEEK_48))
    assert following.agreed == []
    assert following.still_open == [patrol]
    assert following.closed == [lights]
    assert following.closed[0].outcome == "Fyra lampor bytta"
    # With an area chosen, the actions in it.
    in_centrum = meeting(user=chief, period=period(PeriodKind.WEEK, on=WEEK_48), area=centrum)
    assert (in_centrum.still_open, in_centrum.closed) == ([], [lights])
    # A month's follow-up is of the months' actions, not the weeks'.
    month = meeting(user=chief, period=period(PeriodKind.MONTH, on=WEEK_48))
    assert (month.agreed, month.still_open, month.closed) == ([], [], [])
