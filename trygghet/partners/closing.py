"""A week of the EST group: who has and has not reported it, and the chief closing it.

An organisation is expected to report a week when it is active, reports weekly and its agreement
covers any night of the week (it begins or ends mid-week: those nights are still the
organisation's to report). One that reported without being expected is listed among those who
reported, as its rows count.

Closing makes the week's figures final: the partners' reports can no longer be corrected. The
chief may reopen a closed week (a partner's late correction, a row found wrong at the meeting);
it is then closed again when done, by whoever closes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from trygghet.accounts.models import Organisation, User
from trygghet.core.periods import last_night
from trygghet.partners.models import ClosedWeek, WeeklyReport

# The first key of the weeks' advisory locks: PostgreSQL's lock space is shared by the database.
WEEK_LOCKS = 2026_47


def hold_week(week: date, *, closing: bool = False) -> None:
    """Inside a transaction: a report being saved holds its week shared and closing holds it
    alone, so the chief never closes a week under a correction still being written (which
    would land after the figures were called final)."""
    lock = "pg_advisory_xact_lock" if closing else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {lock}(%s, %s)", [WEEK_LOCKS, week.toordinal()])


@dataclass(frozen=True)
class Reported:
    organisation: Organisation
    updated_at: datetime | None

    @property
    def has_reported(self) -> bool:
        return self.updated_at is not None


@dataclass(frozen=True)
class WeekStatus:
    week: date  # its Monday
    closed: ClosedWeek | None
    organisations: list[Reported]

    @property
    def reported(self) -> list[Reported]:
        return [entry for entry in self.organisations if entry.has_reported]

    @property
    def missing(self) -> list[Reported]:
        return [entry for entry in self.organisations if not entry.has_reported]

    @property
    def ended(self) -> bool:
        return has_ended(self.week)


def monday_of(night: date) -> date:
    return night - timedelta(days=night.weekday())


def has_ended(week: date) -> bool:
    """A week can be closed once its last night (Sunday's) has begun."""
    return week + timedelta(days=6) <= last_night()


def latest_ended_week() -> date:
    """The Monday of the last week whose last night has begun: the one to report and close."""
    night = last_night()
    monday = monday_of(night)
    return monday if night.weekday() == 6 else monday - timedelta(weeks=1)


def expected_to_report(week: date) -> Q:
    """The organisations that owe a report for the week."""
    nights = DateRange(week, week + timedelta(days=7))  # half-open: Monday to Sunday
    return Q(active=True, reports_weekly=True) & (
        Q(agreement__isnull=True) | Q(agreement__overlap=nights)
    )


def week_status(week: date) -> WeekStatus:
    """The week's closing and its organisations, reported or not: two queries."""
    week = monday_of(week)
    reports = WeeklyReport.objects.filter(organisation=OuterRef("pk"), week=week)
    organisations = (
        Organisation.objects.filter(expected_to_report(week) | Q(Exists(reports)))
        .annotate(report_updated_at=Subquery(reports.values("updated_at")[:1]))
        .order_by("name")
    )
    return WeekStatus(
        week=week,
        closed=ClosedWeek.objects.filter(week=week).select_related("closed_by").first(),
        organisations=[
            Reported(organisation, organisation.report_updated_at) for organisation in organisations
        ],
    )


def close_week(week: date, *, by: User) -> ClosedWeek:
    """Close the week (its Monday); closing a closed week changes nothing."""
    if week.weekday() != 0:
        raise ValidationError(_("A week starts on a Monday."))
    if not has_ended(week):
        raise ValidationError(_("A week can be closed once its last night has begun."))
    with transaction.atomic():
        hold_week(week, closing=True)
        closed, _created = ClosedWeek.objects.get_or_create(week=week, defaults={"closed_by": by})
    return closed


def reopen_week(week: date) -> bool:
    """Open a closed week again for corrections; False when it was not closed."""
    deleted, _by_model = ClosedWeek.objects.filter(week=week).delete()
    return bool(deleted)
