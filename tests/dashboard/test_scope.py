"""The lägesbild of a partner counts inside their organisation's scope only: every figure through
the lookups its declaration names, the night as a date among them."""

from datetime import date

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from patrols.models import Assignment
from tests.accounts.factories import OrganisationFactory
from tests.dashboard.conftest import CURRENT, at
from tests.incidents.factories import IncidentFactory, category
from tests.partners.factories import WEEK_47, ReportRowFactory, WeeklyReportFactory
from tests.patrols.factories import AreaFactory, AssignmentFactory
from trygghet.core.aggregates import Counted, Measure
from trygghet.dashboard.selectors import scoped

URL = "/lagesbild/"


@pytest.fixture
def outside(db):
    return AreaFactory(name="Utanför", partner_scope=False)


@pytest.fixture
def scattered(persona, areas, outside, partner_organisation):
    """Last week: graffiti in Centrum twice (inside), graffiti outside the partner's areas,
    violence in Centrum (a group outside) and graffiti on a night after the agreement."""
    partner_organisation.agreement = DateRange(date(2020, 1, 1), CURRENT[5])
    partner_organisation.save()
    host = persona("host")
    for night, area, code in [
        (CURRENT[0], areas["centrum"], "graffiti"),
        (CURRENT[1], areas["centrum"], "graffiti"),
        (CURRENT[2], outside, "graffiti"),
        (CURRENT[3], areas["centrum"], "violence"),
        (CURRENT[5], areas["centrum"], "graffiti"),
    ]:
        IncidentFactory(
            reported_by=host, occurred_at=at(night, 22), area=area, category=category(code)
        )


def test_a_partners_picture_counts_inside_the_scope_only(client_as, scattered, outside):
    query = "?period=7nights"
    chief = client_as("chief").get(URL + query).context["figures"]
    partner_page = client_as("partner").get(URL + query)
    partner = partner_page.context["figures"]
    assert (chief.incidents.now, partner.incidents.now) == (5, 2)
    assert "Utanför" in client_as("chief").get(URL + query).content.decode()
    assert "Utanför" not in partner_page.content.decode()
    report = client_as("partner").get(f"{URL}report/{query}").content.decode()
    assert "Utanför" not in report


def test_an_area_outside_the_scope_is_unknown_to_the_partners_filter(client_as, outside):
    response = client_as("partner").get(f"{URL}?area={outside.pk}")
    assert response.status_code == 400
    assert "Okänt område." in response.content.decode()
    assert client_as("chief").get(f"{URL}?area={outside.pk}").status_code == 200


def test_a_figure_placed_by_a_night_as_a_date_is_scoped_by_it(persona, partner_organisation):
    """A declaration like the partners' weekly rows: area, group and the night as a date. Here
    assignments stand in, their first day as the night."""
    partner_organisation.agreement = DateRange(date(2026, 3, 2), date(2026, 3, 10))
    partner_organisation.category_groups = []
    partner_organisation.save()
    inside, outside = AreaFactory(), AreaFactory(partner_scope=False)
    kept = AssignmentFactory(area=inside, valid_from=date(2026, 3, 9))
    for area, day in [
        (inside, date(2026, 3, 10)),
        (inside, date(2026, 3, 1)),
        (outside, date(2026, 3, 5)),
    ]:
        AssignmentFactory(area=area, valid_from=day)
    counted = Counted(
        records=lambda user: Assignment.objects.all(),
        moment="created_at",
        filters={"area": "area", "night": "valid_from"},
        measures={"count": Measure.count()},
    )
    assert list(Assignment.objects.filter(scoped(persona("partner"), counted))) == [kept]
    assert Assignment.objects.filter(scoped(persona("chief"), counted)).count() == 4


def test_presence_counts_the_agreements_nights_only(client_as, logged, partner_organisation):
    """An hour in Centrum on the last night: after the agreement ends for the partner, so
    neither that night nor the period's totals hold it."""
    assert client_as("partner").get(URL).context["figures"].presence.present_hours.now == 1
    partner_organisation.agreement = DateRange(date(2020, 1, 1), CURRENT[6])
    partner_organisation.save()
    assert client_as("chief").get(URL).context["figures"].presence.present_hours.now == 1
    partner = client_as("partner").get(URL).context["figures"].presence
    assert partner.present_hours.now == 0
    assert all(area["present"] == 0 for area in partner.areas)


def test_partner_rows_outside_the_scope_count_for_nobody_held_to_it(client_as, areas, outside):
    """Another organisation's report rows: the ones in the partner's area and group count for
    them, those outside their areas or groups do not, on the page and in the stats API."""
    report = WeeklyReportFactory(organisation=OrganisationFactory(name="Bostadsbolaget"))
    for area, code, count in [
        (areas["centrum"], "graffiti", 3),
        (outside, "graffiti", 40),
        (areas["centrum"], "violence", 500),
    ]:
        ReportRowFactory(
            report=report, night=WEEK_47, area=area, category=category(code), count=count
        )
    query = "?period=custom&first=2026-11-16&last=2026-11-22"
    stats = "/api/v1/stats/events/?from=2026-11-16&to=2026-11-22"

    assert client_as("chief").get(URL + query).context["figures"].incidents.now == 543
    assert client_as("partner").get(URL + query).context["figures"].incidents.now == 3
    assert client_as("chief").get(stats).json()["total"] == 543
    assert client_as("partner").get(stats).json()["total"] == 3
