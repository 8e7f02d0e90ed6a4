"""The lägesbild counts what happened (events) apart from the hosts' own work (activities),
compares only with periods that have data, and says what its coverage is a share of."""

import pytest

from patrols.selectors import PresenceRow
from tests.dashboard.conftest import CURRENT, PREVIOUS, at
from tests.incidents.factories import IncidentFactory, category
from trygghet.dashboard import selectors

URL = "/lagesbild/"


@pytest.fixture
def dialogues(persona, areas, logged):
    """Eight dialogues in Centrum this week and none the week before: were they events, they
    would top "growing" and make Centrum a candidate."""
    host = persona("host")
    for night in CURRENT[:4]:
        for hour in (21, 23):
            IncidentFactory(
                reported_by=host,
                occurred_at=at(night, hour),
                category=category("dialogue"),
                area=areas["hamnen"],
            )


def test_dialogues_are_activities_not_incidents(client_as, dialogues):
    figures = client_as("chief").get(URL).context["figures"]
    assert (figures.incidents.now, figures.incidents.previous) == (7, 3)
    assert "dialogue" not in {row.category.code for row in figures.matrix.rows}
    assert [(g.category.code, g.area.name) for g in figures.growing] == [("graffiti", "Centrum")]
    assert sum(figures.trend["series"][0]) == 7
    assert sum(row["total"] for row in figures.heat) == 7
    assert (figures.activities.now, figures.activities.previous) == (8, None)
    hamnen = next(row for row in figures.presence.areas if row["name"] == "Hamnen")
    assert (hamnen["incidents"].now, hamnen["activities"].now) == (1, 8)
    assert not hamnen["candidate"]


def test_the_start_page_glance_counts_events_only(client_as, dialogues):
    response = client_as("chief").get("/start/")
    glance = next(
        panel["data"]["glance"]
        for panel in response.context["panels"]
        if panel["template"] == "dashboard/_panel_last_night.html"
    )
    assert "dialogue" not in {category.code for category, _figure in glance.categories}


def test_a_period_without_data_is_no_comparison(client_as, logged):
    """Nothing was logged the week before the month shown: no arrow, no "+10 (0)"."""
    response = client_as("chief").get(f"{URL}?period=month")
    figures = response.context["figures"]
    assert figures.incidents.previous is None
    assert (figures.incidents.vs_previous.direction, figures.incidents.vs_previous.tone) == (
        "same",
        "",
    )
    html = response.content.decode()
    kpi = html[html.index("<h2>Händelser</h2>") :]
    before, last_year = kpi.split("<li>")[1:3]
    assert "Perioden före: ingen jämförelse" in before
    assert "▲" not in before
    # The same month last year had data: compared as before.
    assert "▲ </span>+7</span>" in last_year
    assert "mot samma period i fjol (3)" in last_year


def test_the_coverage_says_what_it_is_a_share_of(client_as, areas, monkeypatch):
    """28 h present of which 15 h inside the 36 h assigned: 42 % of the assigned time is
    covered, and the page says so rather than "28 h of 36 h · 42 %"."""
    centrum = areas["centrum"]

    def presence(*, first_night, last_night, area_ids=None):
        if first_night != CURRENT[0]:
            return []
        return [
            PresenceRow(
                centrum.pk,
                "Centrum",
                CURRENT[0],
                2160,
                1680,
                900,
                3,
                4,
                2160,
                1680,
                900,
                1,
                0,
                2160,
                900,
                0,
                1680,
            )  # fmt: skip
        ]

    monkeypatch.setattr(selectors, "presence", presence)
    response = client_as("chief").get(URL)
    summary = response.context["figures"].presence
    assert (summary.present_hours.now, summary.covered_hours, summary.planned_hours) == (
        28,
        15,
        36,
    )
    assert summary.coverage == 42
    assert "15 h av de 36 h som var planerade täcktes · 42 %" in response.content.decode()
    assert summary.present_hours.previous is None  # no presence the week before


def test_the_api_says_the_kind_and_filters_by_it(client_as, dialogues):
    client = client_as("chief")
    kinds = {row["code"]: row["kind"] for row in client.get("/api/v1/categories/").json()}
    assert (kinds["dialogue"], kinds["graffiti"]) == ("activity", "event")
    listed = client.get("/api/v1/incidents/", {"kind": "activity"}).json()["results"]
    assert {row["kind"] for row in listed} == {"activity"}
    assert len(listed) == 8


def test_the_stats_count_events_and_activities_apart(client_as, dialogues):
    client = client_as("report_client")
    query = {"from": CURRENT[0].isoformat(), "to": CURRENT[6].isoformat()}
    assert client.get("/api/v1/stats/incidents/", query).json()["total"] == 7
    assert client.get("/api/v1/stats/activities/", query).json()["total"] == 8
    previous = {"from": PREVIOUS[0].isoformat(), "to": PREVIOUS[6].isoformat()}
    assert client.get("/api/v1/stats/activities/", previous).json()["total"] == 0


def test_a_long_period_is_charted_by_iso_week(client_as, logged):
    """The tertial begins on Tuesday 1 September: its chart counts weeks Monday to Sunday by
    their numbers, not seven nights at a time from the 1st."""
    trend = client_as("chief").get(URL, {"period": "tertial"}).context["figures"].trend
    assert (trend["labels"][0], trend["ticks"][0]) == ("2026-08-31", "v. 36")
    assert trend["ticks"][-3:] == ["v. 46", "v. 47", "v. 48"]
    # Week 46 holds the nights of 11 and 14 November, week 47 those of 16–22, week 48 23–24.
    assert trend["series"][0][-3:] == [2, 6, 2]
