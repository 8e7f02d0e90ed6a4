"""The demo EST group: three partners with a believable year of weekly reports, built once."""

import io
from datetime import UTC, datetime, timedelta

import time_machine
from django.core.management import call_command
from django.db.models import Sum

from trygghet.accounts.models import Organisation
from trygghet.partners.closing import latest_ended_week, week_status
from trygghet.partners.demo import PARTNERS
from trygghet.partners.models import CategoryMapping, ClosedWeek, ReportRow, WeeklyReport

EVENING = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # a Friday; week 47 ended last Sunday


def counts():
    return [
        Organisation.objects.count(),
        CategoryMapping.objects.count(),
        WeeklyReport.objects.count(),
        ReportRow.objects.count(),
        ClosedWeek.objects.count(),
    ]


@time_machine.travel(EVENING, tick=False)
def test_the_demo_partners_report_a_year_once(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    built = counts()
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    assert counts() == built
    assert {partner.name for partner in PARTNERS} <= set(
        Organisation.objects.values_list("name", flat=True)
    )
    assert 140 <= WeeklyReport.objects.count() < 3 * 52
    assert not ReportRow.objects.filter(category__kind="activity").exists()
    # Weekend nights and summer weeks bring more.
    weekend = ReportRow.objects.filter(night__week_day__in=[6, 7]).aggregate(n=Sum("count"))["n"]
    weekdays = ReportRow.objects.exclude(night__week_day__in=[6, 7]).aggregate(n=Sum("count"))
    assert weekend / 2 > weekdays["n"] / 5
    last = latest_ended_week()
    status = week_status(last)
    assert [entry.organisation.name for entry in status.missing] == ["Bostadsbolaget Hem AB"]
    assert status.closed is None
    assert ClosedWeek.objects.filter(week=last - timedelta(weeks=2)).exists()
    assert not ClosedWeek.objects.filter(week=last - timedelta(weeks=1)).exists()
    # Some earlier weeks were never reported, so the list has something to say.
    assert any(week_status(last - timedelta(weeks=n)).missing for n in range(2, 20))


@time_machine.travel(EVENING, tick=False)
def test_the_demo_is_the_same_each_time(db):
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    first = list(ReportRow.objects.order_by("pk").values_list("night", "count", "area__name"))
    ReportRow.objects.all().delete()
    WeeklyReport.objects.all().delete()
    call_command("demo_data", "--incidents", "0", stdout=io.StringIO())
    again = list(ReportRow.objects.order_by("pk").values_list("night", "count", "area__name"))
    assert again == first
