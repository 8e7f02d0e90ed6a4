from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.incidents.factories import category
from trygghet.accounts.roles import Role
from trygghet.partners.models import (
    Action,
    Assessment,
    MeetingPeriod,
    ReportRow,
    ReportSource,
    WeeklyReport,
)

# Week 47 of 2026 starts on this Monday.
WEEK_47 = date(2026, 11, 16)
# The same week as the URLs name it.
WEEK_47_URL = "2026-W47"


class WeeklyReportFactory(DjangoModelFactory[WeeklyReport]):
    class Meta:
        model = WeeklyReport

    organisation = factory.SubFactory(OrganisationFactory)
    week = WEEK_47
    source = ReportSource.FORM
    submitted_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )


class ReportRowFactory(DjangoModelFactory[ReportRow]):
    class Meta:
        model = ReportRow

    report = factory.SubFactory(WeeklyReportFactory)
    night = factory.SelfAttribute("report.week")
    category = factory.LazyFunction(category)
    count = 1


class AssessmentFactory(DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    kind = MeetingPeriod.WEEK
    first = WEEK_47
    text = "Skadegörelsen kring Resecentrum ökar kvällstid; lugnare i Hamnen."
    written_by = factory.SubFactory(UserFactory, roles=[Role.CHIEF])


class ActionFactory(DjangoModelFactory[Action]):
    class Meta:
        model = Action

    assessment = factory.SubFactory(AssessmentFactory)
    what = "Sanera klotter i gångtunneln"
    due = factory.LazyAttribute(lambda action: action.assessment.first + timedelta(days=14))
    created_by = factory.SelfAttribute("assessment.written_by")
