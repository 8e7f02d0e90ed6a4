from datetime import date

import factory
from factory.django import DjangoModelFactory

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.incidents.factories import category
from trygghet.partners.models import ReportRow, ReportSource, WeeklyReport

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
