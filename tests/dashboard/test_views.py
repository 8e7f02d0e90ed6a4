from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import NightButtonCall
from properties.models import Deviation
from tests.access import LOGIN, assert_answer, by_role
from tests.accounts.factories import OrganisationFactory
from tests.dashboard.conftest import CURRENT, LAST_YEAR, PREVIOUS, at
from tests.dispatch.factories import walk
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.partners.factories import ReportRowFactory, WeeklyReportFactory
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift
from tests.properties.factories import PropertyFactory, check
from trygghet.dispatch.models import State

URL = "/lagesbild/"


@pytest.mark.parametrize("url", [URL, "/lagesbild/report/"])
@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=200,
        report_client=LOGIN,
        admin=200,
    ),
)
def test_access(client_as, db, url, role, expected):
    assert_answer(client_as(role).get(url), expected)


def test_the_figures_are_the_counts_of_each_period(client_as, logged, areas):
    figures = client_as("chief").get(URL).context["figures"]
    assert (figures.incidents.now, figures.incidents.previous, figures.incidents.last_year) == (
        7,
        3,
        3,
    )
    assert figures.incidents.vs_previous.tone == "bad"
    cells = {
        (row.category.code, area.name if area else None): cell.figure.now
        for row in figures.matrix.rows
        for area, cell in zip(figures.matrix.areas, row.cells, strict=True)
    }
    assert cells == {
        ("graffiti", "Centrum"): 6,
        ("graffiti", "Hamnen"): 0,
        ("littering", "Centrum"): 0,
        ("littering", "Hamnen"): 1,
    }
    assert [(g.category.code, g.area.name) for g in figures.growing] == [("graffiti", "Centrum")]
    assert figures.trend["series"][0] == [1, 1, 1, 1, 1, 1, 1]
    assert sum(figures.trend["series"][1]) == 3
    assert figures.trend["labels"][0] == CURRENT[0].isoformat()
    assert (figures.escalations.now, figures.median_to_arrival.now) == (2, 10.0)
    assert figures.night_button.now == 1
    assert figures.presence.present_hours.now == 1


def test_the_heat_table_places_incidents_on_their_night_and_hour(client_as, logged):
    heat = client_as("chief").get(URL).context["figures"].heat
    by_cell = {
        (row["weekday"], cell["hour"]): cell["count"]
        for row in heat
        for cell in row["cells"]
        if cell["count"]
    }
    # 1 and 2 o'clock on Saturday and Sunday mornings are Friday's and Saturday's nights.
    assert by_cell == {
        (3, 21): 1,
        (4, 22): 1,
        (5, 23): 1,
        (6, 1): 1,
        (7, 2): 1,
        (1, 21): 1,
        (2, 22): 1,
    }


def test_filters_by_area_and_category_group(client_as, logged, areas):
    client = client_as("chief")
    figures = client.get(f"{URL}?area={areas['hamnen'].pk}").context["figures"]
    assert (figures.incidents.now, figures.incidents.previous) == (1, 1)
    figures = client.get(f"{URL}?group=graffiti").context["figures"]
    assert (figures.incidents.now, figures.incidents.last_year) == (6, 3)


@pytest.mark.parametrize(
    ("query", "now", "previous", "last_year"),
    [
        # A period with nothing logged is not compared with (None), never "up from 0".
        ("period=night", 1, 1, None),
        ("period=week", 2, 1, None),  # Monday and Tuesday nights so far
        ("period=month", 10, None, 3),
        (f"period=custom&first={PREVIOUS[0]}&last={CURRENT[6]}", 10, None, 3),
    ],
)
def test_each_period_is_compared_with_the_one_before_and_last_year(
    client_as, logged, query, now, previous, last_year
):
    figures = client_as("chief").get(f"{URL}?{query}").context["figures"]
    assert (figures.incidents.now, figures.incidents.previous, figures.incidents.last_year) == (
        now,
        previous,
        last_year,
    )


def test_the_period_before_is_one_click_away(client_as, logged):
    client = client_as("chief")
    response = client.get(f"{URL}?period=week")
    assert response.context["links"]["next"] is None
    earlier = client.get(response.context["links"]["previous"]).context["figures"]
    assert earlier.period.shown.first.isoformat() == "2026-11-16"
    assert earlier.incidents.now == 6


def test_htmx_gets_the_figures_without_the_page(client_as, logged):
    response = client_as("chief").get(f"{URL}?period=month", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="lb-data"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "period=custom&first=2026-11-20&last=2026-11-10",
            "Den sista natten får inte vara före den första.",
        ),
        ("period=custom&first=2025-01-01&last=2026-11-10", "Välj högst 366 nätter."),
        ("area=999999", "Okänt område."),
        ("group=weather", "Okänd kategorigrupp."),
        ("period=year", "Välj ett giltigt alternativ."),
        ("on=yesterday", "Fyll i ett giltigt datum."),
    ],
)
def test_bad_choices_are_400_with_a_message(client_as, db, query, message):
    response = client_as("chief").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_partners_get_the_aggregated_picture_without_personal_data(client_as, persona, logged):
    response = client_as("partner").get(URL)
    html = response.content.decode()
    host = persona("host")
    assert response.context["figures"].incidents.now == 7
    for personal in ("PERSONUPPGIFT", host.username, str(host)):
        assert personal not in html
    assert response.context["figures"].deviations is None
    assert "Avvikelser vid byggnaderna" not in html


def test_the_chief_sees_the_deviations(client_as, persona, department, logged):
    finder = persona("other_host")
    make_shift(hosts=[finder], active=True)
    check(PropertyFactory(department=department), finder, failed=["locked"])
    figures = client_as("chief").get(URL).context["figures"]
    assert figures.deviations["open"] == Deviation.objects.count() == 1


# Session, user, its two permission lookups, areas, categories, one query per kind of record
# counted (incidents, calls for help, night-button calls, call-outs) and the presence of each of
# the three periods; the chief's two more are the deviations, which partners may not read, and
# the partner's one more is their organisation, whose scope every figure is cut to.
# One of them counts the hosts' activities apart from the incidents; one lists the sources (the
# partner organisations) and one counts the partners' report rows.
QUERIES = {"chief": 18, "partner": 17}


@pytest.mark.parametrize("role", ["chief", "partner"])
def test_the_page_runs_the_same_queries_for_one_row_as_for_many(client_as, persona, areas, role):
    """Every figure is aggregated by PostgreSQL: more rows, areas and periods cost no query."""
    client = client_as(role)
    host = persona("host")
    IncidentFactory(reported_by=host, occurred_at=at(CURRENT[0], 22), area=areas["centrum"])
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    shift = make_shift(
        hosts=[host], start=at(CURRENT[5], 18), hours=8, phone_line=PhoneLineFactory()
    )
    for index, night in enumerate([*CURRENT, *PREVIOUS, *LAST_YEAR]):
        area = AreaFactory()
        incident = IncidentFactory(
            reported_by=host,
            occurred_at=at(night, 20 + index % 4),
            area=area,
            category=category(["graffiti", "fire", "dialogue"][index % 3]),
        )
        EscalationFactory(incident=incident, called_at=incident.occurred_at)
        walk(persona("chief"), shift, at(night, 21), priority=1 + index % 3)
    NightButtonCall.objects.create(
        phone_line=shift.phone_line, host=host, shift=shift, started_at=at(CURRENT[5], 22)
    )
    for night in (*CURRENT, *PREVIOUS, *LAST_YEAR):
        monday = night - timedelta(days=night.weekday())
        report = WeeklyReportFactory(organisation=OrganisationFactory(), week=monday)
        ReportRowFactory(report=report, night=night, area=AreaFactory(), count=3)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(one) == QUERIES[role]


def test_the_report_has_the_same_figures_and_a_print_button(client_as, logged):
    response = client_as("chief").get("/lagesbild/report/?period=week&on=2026-11-22")
    html = response.content.decode()
    assert response.context["figures"].incidents.now == 6
    assert "Vecka 47, 16–22 november 2026" in html
    assert "data-print" in html


def test_the_dashboard_links_to_its_incidents_as_csv_and_geojson(client_as, logged):
    client = client_as("chief")
    links = client.get(f"{URL}?group=graffiti").context["links"]
    for link, kind in ((links["excel"], "text/csv"), (links["geojson"], "application/geo+json")):
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
        body = b"".join(response.streaming_content)
        assert body.count(b"graffiti") == 6


def start_panel(response):
    return next(
        panel["data"]["glance"]
        for panel in response.context["panels"]
        if panel["template"] == "dashboard/_panel_last_night.html"
    )


@pytest.mark.parametrize("role", ["chief", "partner"])
def test_last_night_at_a_glance_on_the_start_page(client_as, logged, role):
    response = client_as(role).get("/start/")
    glance = start_panel(response)
    # Tuesday's night: littering in Hamnen; Monday's night had graffiti, last Tuesday's
    # nothing, so there is nothing to compare with.
    assert (glance.incidents.now, glance.incidents.previous, glance.incidents.last_year) == (
        1,
        1,
        None,
    )
    assert [(category.code, figure.now) for category, figure in glance.categories] == [
        ("littering", 1)
    ]
    # A night-button call has no area: outside a partner's scope unless it sees every area.
    assert (glance.escalations, glance.night_button) == (0, 1 if role == "chief" else 0)
    html = response.content.decode()
    assert "Natten mot onsdag 25 november 2026" in html
    assert 'href="/lagesbild/"' in html


def test_hosts_and_owners_have_no_lagesbild_panel(client_as, logged):
    for role in ("host", "owner"):
        response = client_as(role).get("/start/")
        assert response.status_code == 200
        assert "Öppna lägesbilden" not in response.content.decode()


def test_the_start_panel_runs_the_same_queries_for_many_rows(client_as, persona, areas):
    client = client_as("chief")
    client.get("/start/")
    with CaptureQueriesContext(connection) as one:
        client.get("/start/")
    for hour in (20, 21, 22, 23):
        IncidentFactory(
            reported_by=persona("host"), occurred_at=at(CURRENT[6], hour), area=AreaFactory()
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/start/")
    assert len(many) == len(one)


def test_call_outs_with_their_median_minutes_per_priority(
    client_as, persona, areas, partner_sees_everywhere
):
    """Two urgent call-outs last week (a car after 2 and 6 minutes, on scene after 10 and 20)
    and one normal the week before (a car after 4): medians per priority and in all."""
    chief = persona("chief")
    D, A, S = State.DISPATCHED, State.ACKNOWLEDGED, State.ON_SCENE
    car = make_shift(hosts=[persona("host")], start=at(PREVIOUS[0], 18), hours=16, active=True)
    walk(chief, car, at(CURRENT[1], 22), (2, D), (3, A), (10, S))
    walk(chief, car, at(CURRENT[2], 1), (6, D), (8, A), (20, S))
    walk(chief, car, at(PREVIOUS[2], 22), (4, D), priority=2)
    for role in ("chief", "partner"):
        response = client_as(role).get(URL)
        dispatches = response.context["figures"].dispatches
        total = dispatches["total"]
        assert (total["requests"].now, total["requests"].previous) == (2, 1)
        assert (total["to_dispatch"].now, total["to_dispatch"].previous) == (4, 4)
        assert (total["to_on_scene"].now, total["to_on_scene"].previous) == (15, None)
        (urgent,) = dispatches["priorities"][:1]
        assert urgent["to_acknowledge"].now == 5.5
        assert [str(row["label"]) for row in dispatches["priorities"]] == ["Hög", "Normal"]
        assert "Utryckningar" in response.content.decode()
    areas_only = client_as("chief").get(f"{URL}?area={areas['hamnen'].pk}")
    assert areas_only.context["figures"].dispatches["total"]["requests"].now == 0
    assert "Inga utryckningar under perioden." in areas_only.content.decode()
