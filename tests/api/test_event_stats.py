"""/api/v1/stats/events/: the hosts' events and the partners' reported events counted as the
lägesbild counts them, together, per source and one source at a time."""

from datetime import date

import pytest

from tests.access import by_role
from tests.accounts.factories import OrganisationFactory
from tests.api.test_exports import body_of, read_csv
from tests.dashboard.conftest import at
from tests.incidents.factories import IncidentFactory, category
from tests.partners.factories import WEEK_47, ReportRowFactory, WeeklyReportFactory
from tests.patrols.factories import AreaFactory

URL = "/api/v1/stats/events/"
WEEK = "from=2026-11-16&to=2026-11-22"
SUNDAY = date(2026, 11, 22)


@pytest.fixture
def sources(persona):
    """Two graffiti the hosts logged and a dialogue (their own work); the police report 5
    graffiti on Sunday's night and 3 dialogues, which are not events."""
    area = AreaFactory(name="Centrum")
    for code in ("graffiti", "graffiti", "dialogue"):
        IncidentFactory(
            reported_by=persona("host"),
            occurred_at=at(SUNDAY, 23),
            area=area,
            category=category(code),
        )
    police = OrganisationFactory(name="Polisen")
    report = WeeklyReportFactory(organisation=police, week=WEEK_47)
    ReportRowFactory(report=report, night=SUNDAY, area=area, category=category("graffiti"), count=5)
    ReportRowFactory(report=report, night=SUNDAY, area=area, category=category("dialogue"), count=3)
    return police


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
def test_access(client_as, db, role, status):
    assert client_as(role).get(f"{URL}?{WEEK}").status_code == status


def test_every_source_together_and_apart(client_as, sources):
    client = client_as("report_client")
    assert client.get(f"{URL}?{WEEK}").json()["total"] == 2 + 5
    body = client.get(f"{URL}?{WEEK}&bucket=week&group_by=source,category").json()
    counted = {(row["source"], row["category_code"]): row["count"] for row in body["results"]}
    assert counted == {("hosts", "graffiti"): 2, (str(sources.pk), "graffiti"): 5}
    assert {row["bucket"] for row in body["results"]} == {"2026-11-16"}
    assert client.get(f"{URL}?{WEEK}&source=hosts").json()["total"] == 2
    assert client.get(f"{URL}?{WEEK}&source={sources.pk}").json()["total"] == 5
    # Monday's night is the next week's: Sunday's rows are not in it.
    assert client.get(f"{URL}?from=2026-11-23&to=2026-11-23").json()["total"] == 0


def test_as_csv(client_as, sources):
    response = client_as("report_client").get(f"{URL}?{WEEK}&group_by=source&format=csv")
    rows = read_csv(body_of(response))
    assert rows[0] == ["source", "count"]
    assert sorted(rows[1:]) == sorted([["hosts", "2"], [str(sources.pk), "5"]])


@pytest.mark.parametrize("value", ["nope", "999999", "-1", "1" * 30])
def test_an_unknown_source_is_a_translated_400(client_as, sources, value):
    response = client_as("report_client").get(f"{URL}?{WEEK}&source={value}")
    assert response.status_code == 400
    assert "Okänd källa" in response.content.decode()


def test_group_by_a_source_of_the_incidents_own_is_refused(client_as, db):
    response = client_as("report_client").get(f"{URL}?{WEEK}&group_by=severity")
    assert response.status_code == 400


@pytest.mark.parametrize("area", ["99999999999999999999", "0", "x"])
def test_an_area_no_database_holds_is_a_400(client_as, db, area):
    response = client_as("report_client").get(f"{URL}?{WEEK}&area={area}")
    assert response.status_code == 400
