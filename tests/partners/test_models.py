from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.accounts.factories import DepartmentFactory, OrganisationFactory, UserFactory
from tests.partners.factories import ReportRowFactory, WeeklyReportFactory

pytestmark = pytest.mark.django_db


def test_a_week_starts_on_monday():
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyReportFactory(week=date(2026, 11, 17))


def test_an_organisation_reports_a_week_once():
    report = WeeklyReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyReportFactory(organisation=report.organisation, week=report.week)


@pytest.mark.parametrize("count", [0, 10_001])
def test_a_row_counts_something_believable(count):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRowFactory(count=count)


def test_a_user_belongs_to_a_department_or_an_organisation_not_both():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(department=DepartmentFactory(), organisation=OrganisationFactory())
