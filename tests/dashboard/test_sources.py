"""The lägesbild counts the partners' reported events with the hosts' incidents, together and per
source: events only, compared with the periods that have data from any source, and filtered by
source. The hour of the night, the map and the hot-spot candidates stay the hosts' own."""

from datetime import timedelta

import pytest

from tests.accounts.factories import OrganisationFactory
from tests.dashboard.conftest import CURRENT, PREVIOUS, at
from tests.incidents.factories import IncidentFactory, category
from tests.partners.factories import ReportRowFactory, WeeklyReportFactory
from trygghet.accounts.models import OrganisationKind
from trygghet.partners.models import WeeklyReport

URL = "/lagesbild/"


def report(organisation, night, code, area, count):
    monday = night - timedelta(days=night.weekday())
    weekly = WeeklyReport.objects.filter(
        organisation=organisation, week=monday
    ).first() or WeeklyReportFactory(organisation=organisation, week=monday)
    return ReportRowFactory(
        report=weekly, night=night, category=category(code), area=area, count=count
    )


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Polisen Centrum", kind=OrganisationKind.POLICE)


@pytest.fixture
def housing(db):
    return OrganisationFactory(name="Bostadsbolaget", kind=OrganisationKind.HOUSING_COMPANY)


@pytest.fixture
def reported(logged, areas, police, housing):
    """The police report 4 graffiti in Centrum this week (and 5 dialogues, the hosts' kind of
    work, which no partner's count may add to the events); the housing company 2 littering in
    Hamnen the week before."""
    report(police, CURRENT[0], "graffiti", areas["centrum"], 4)
    report(police, CURRENT[1], "dialogue", areas["centrum"], 5)
    report(housing, PREVIOUS[1], "littering", areas["hamnen"], 2)


def cell(figures, code, area_name):
    row = next(row for row in figures.matrix.rows if row.category.code == code)
    areas = [area.name if area else None for area in figures.matrix.areas]
    return row.cells[areas.index(area_name)].figure


def test_the_partners_events_are_counted_with_the_hosts(client_as, reported):
    figures = client_as("chief").get(URL).context["figures"]
    assert (figures.incidents.now, figures.incidents.previous) == (7 + 4, 3 + 2)
    assert (
        cell(figures, "graffiti", "Centrum").now,
        cell(figures, "graffiti", "Centrum").previous,
    ) == (
        10,
        2,
    )
    assert sum(figures.trend["series"][0]) == 11
    assert sum(figures.trend["series"][1]) == 5
    assert [(g.category.code, g.area.name) for g in figures.growing] == [("graffiti", "Centrum")]


def test_the_hour_the_map_and_the_candidates_are_the_hosts_own(client_as, reported):
    figures = client_as("chief").get(URL).context["figures"]
    assert sum(row["total"] for row in figures.heat) == 7
    assert sum(count for _lat, _lon, count in figures.map_data["cells"]) == 6  # one without a place
    centrum = next(row for row in figures.presence.areas if row["name"] == "Centrum")
    assert centrum["incidents"].now == 6


def test_each_source_apart(client_as, reported, police):
    response = client_as("chief").get(URL)
    table = response.context["figures"].sources
    assert [source.label for source in table.sources] == ["Värdarna", "Polisen Centrum"]
    assert [(total.now, total.previous) for total in table.source_totals] == [(7, 3), (4, 0)]
    graffiti = next(row for row in table.rows if row.category.code == "graffiti")
    assert [figure.now for figure in graffiti.figures] == [6, 4]
    assert "dialogue" not in {row.category.code for row in table.rows}
    html = response.content.decode()
    assert "Händelser per kategori och källa" in html
    assert "ger ett område, inte en exakt plats" in html


@pytest.mark.parametrize(
    ("source", "now", "previous"), [("hosts", 7, 3), ("police", 4, None), ("housing", 0, 2)]
)
def test_the_source_filter(client_as, reported, request, source, now, previous):
    key = "hosts" if source == "hosts" else request.getfixturevalue(source).pk
    response = client_as("chief").get(URL, {"source": key})
    figures = response.context["figures"]
    assert (figures.incidents.now, figures.incidents.previous) == (now, previous)
    assert response.context["links"]["report"].endswith(f"source={key}")
    # The cards of the hosts' own incidents keep them whatever the source shown.
    assert sum(row["total"] for row in figures.heat) == 7


def test_a_source_with_nothing_in_the_other_period_is_no_comparison(client_as, logged, areas):
    """The police began reporting this week: their 4 are no rise from nothing."""
    police = OrganisationFactory(name="Polisen Centrum", kind=OrganisationKind.POLICE)
    report(police, CURRENT[0], "graffiti", areas["centrum"], 4)
    figures = client_as("chief").get(URL, {"source": police.pk}).context["figures"]
    assert (figures.incidents.now, figures.incidents.previous) == (4, None)
    assert not figures.incidents.vs_previous.comparable


@pytest.mark.parametrize("value", ["nope", "999999", "-1"])
def test_an_unknown_source_is_a_translated_400(client_as, reported, value):
    response = client_as("chief").get(URL, {"source": value})
    assert response.status_code == 400
    assert "Okänd källa." in response.content.decode()


def test_the_partners_rows_are_filtered_by_area_and_group(client_as, reported, areas):
    client = client_as("chief")
    hamnen = client.get(URL, {"area": areas["hamnen"].pk}).context["figures"]
    assert (hamnen.incidents.now, hamnen.incidents.previous) == (1, 1 + 2)
    graffiti = client.get(URL, {"group": "graffiti"}).context["figures"]
    assert graffiti.incidents.now == 6 + 4


def test_a_week_counts_its_partner_rows_by_their_night(client_as, persona, areas, police):
    """A row of Sunday's night is in that week, however the night's hours fall."""
    sunday = CURRENT[4]  # 22 November 2026
    assert sunday.weekday() == 6
    report(police, sunday, "graffiti", areas["centrum"], 3)
    IncidentFactory(
        reported_by=persona("host"),
        occurred_at=at(sunday, 23),
        area=areas["centrum"],
        category=category("fire"),
    )
    client = client_as("chief")
    week = client.get(URL, {"period": "week", "on": sunday.isoformat()}).context["figures"]
    after = client.get(
        URL, {"period": "week", "on": (sunday + timedelta(days=1)).isoformat()}
    ).context["figures"]
    assert (week.incidents.now, after.incidents.now) == (4, 0)
