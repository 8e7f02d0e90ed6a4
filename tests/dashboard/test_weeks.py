"""The EST week on the lägesbild: who has and has not reported it, and the chief closing it and
reopening it for a late correction, each after a page that asks to confirm."""

from datetime import date

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.accounts.factories import OrganisationFactory
from tests.partners.factories import WEEK_47, WeeklyReportFactory
from trygghet.partners.closing import week_status
from trygghet.partners.models import ClosedWeek

WEEK_48 = date(2026, 11, 23)  # not over on the fixed morning, Wednesday 25 November
PAGE = "/lagesbild/?period=week&on=2026-11-16"
CLOSE = "/lagesbild/weeks/2026-11-16/close/"
REOPEN = "/lagesbild/weeks/2026-11-16/reopen/"


@pytest.fixture
def organisations(db, partner_organisation):
    """The police reported week 47, the housing company did not; the others owe nothing (the
    partner persona's organisation neither: it is not among those who report each week)."""
    partner_organisation.reports_weekly = False
    partner_organisation.save()
    police = OrganisationFactory(name="Polisen Centrum")
    WeeklyReportFactory(organisation=police, week=WEEK_47)
    return {
        "police": police,
        "housing": OrganisationFactory(name="Bostadsbolaget"),
        "starts_midweek": OrganisationFactory(
            name="Ny vaktfirma", agreement=DateRange(date(2026, 11, 20), None)
        ),
        "ended": OrganisationFactory(
            name="Gammal vaktfirma", agreement=DateRange(date(2025, 1, 1), date(2026, 11, 16))
        ),
        "inactive": OrganisationFactory(name="Nedlagt bolag", active=False),
        "not_weekly": OrganisationFactory(name="Räddningstjänsten", reports_weekly=False),
    }


def test_who_has_and_has_not_reported(organisations):
    status = week_status(WEEK_47)
    assert [entry.organisation.name for entry in status.reported] == ["Polisen Centrum"]
    assert [entry.organisation.name for entry in status.missing] == [
        "Bostadsbolaget",
        "Ny vaktfirma",
    ]
    assert status.closed is None and status.ended


def test_one_that_reported_unasked_is_listed_as_reported(organisations):
    WeeklyReportFactory(organisation=organisations["not_weekly"], week=WEEK_47)
    names = [entry.organisation.name for entry in week_status(WEEK_47).reported]
    assert names == ["Polisen Centrum", "Räddningstjänsten"]


@pytest.mark.parametrize("role", ["chief", "partner"])
def test_the_week_view_lists_them(client_as, organisations, role):
    response = client_as(role).get(PAGE)
    html = response.content.decode()
    assert "Samverkansparternas rapporter för vecka 47" in html
    assert "Rapporterat (1)" in html and "Inte rapporterat (2)" in html
    assert ("Stäng veckan" in html) == (role == "chief")


def test_other_periods_have_no_week_list(client_as, organisations):
    response = client_as("chief").get("/lagesbild/")
    assert response.context["week"] is None


def test_the_chief_closes_and_reopens_a_week(client_as, persona, organisations):
    client = client_as("chief")
    confirm = client.get(CLOSE)
    assert "Stänga vecka 47?" in confirm.content.decode()
    assert not ClosedWeek.objects.exists()
    assert_answer(client.post(CLOSE), DONE, done=PAGE)
    closed = ClosedWeek.objects.get()
    assert (closed.week, closed.closed_by) == (WEEK_47, persona("chief"))
    html = client.get(PAGE).content.decode()
    assert "Stängd" in html and "Öppna veckan igen" in html
    assert "Stängd" in client.get("/start/").content.decode()
    # Closing twice changes nothing.
    client.post(CLOSE)
    assert ClosedWeek.objects.get() == closed
    assert "Öppna vecka 47 igen?" in client.get(REOPEN).content.decode()
    assert_answer(client.post(REOPEN), DONE, done=PAGE)
    assert not ClosedWeek.objects.exists()


def test_a_week_not_over_cannot_be_closed(client_as, organisations):
    client = client_as("chief")
    page = "/lagesbild/?period=week&on=2026-11-23"
    response = client.post("/lagesbild/weeks/2026-11-23/close/", follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert "Veckan kan stängas när dess sista natt har börjat." in response.content.decode()
    assert not ClosedWeek.objects.filter(week=WEEK_48).exists()


@pytest.mark.parametrize("week", ["2026-11-17", "nope", "1999-01-04"])
def test_a_path_that_names_no_week_is_404(client_as, db, week):
    assert client_as("chief").get(f"/lagesbild/weeks/{week}/close/").status_code == 404


@pytest.mark.parametrize("url", [CLOSE, REOPEN])
@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
    ),
)
def test_access(client_as, db, url, role, expected):
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=403,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
    ),
)
def test_only_the_chief_closes(client_as, db, role, expected):
    assert_answer(client_as(role).post(CLOSE), expected, done=PAGE)
    assert ClosedWeek.objects.exists() == (expected == DONE)


def test_the_chiefs_start_panel_has_the_week_that_ended(client_as, organisations):
    response = client_as("chief").get("/start/")
    html = response.content.decode()
    assert "Samverkansparternas rapporter för vecka 47" in html
    assert "Bostadsbolaget" in html
    assert (
        "Samverkansparternas rapporter" not in client_as("partner").get("/start/").content.decode()
    )
