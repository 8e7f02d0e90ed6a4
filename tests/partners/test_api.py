import json
from datetime import timedelta

import pytest
from django.test import Client

from tests.access import by_role
from tests.accounts.factories import OrganisationFactory
from tests.incidents.factories import category
from tests.partners.factories import WEEK_47, ReportRowFactory, WeeklyReportFactory
from trygghet.accounts.services import api_token_create
from trygghet.partners.models import CategoryMapping, ClosedWeek, ReportRow, WeeklyReport

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner-reports/"


@pytest.fixture
def program(partner):
    """The organisation's own program, with its partner user's token."""
    _token, key = api_token_create(user=partner, name="Felanmälan")
    return Client(headers={"authorization": f"Token {key}"})


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def week(*rows, **fields):
    return {"week": "2026-W47", "rows": list(rows), **fields}


def good_row(**fields):
    return {"night": "2026-11-20", "area": "Centrum", "category": "graffiti", "count": 2} | fields


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=403,
        partner=200,
        report_client=403,
        admin=200,
        dpo=403,
    ),
)
def test_list_access(client_as, partner, role, expected):
    assert client_as(role).get(URL).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=401,
        chief=400,  # must name the organisation
        host=403,
        owner=403,
        partner=201,
        report_client=403,
        admin=400,
        dpo=403,
    ),
)
def test_post_access(client_as, partner, area, role, expected):
    assert post(client_as(role), week(good_row())).status_code == expected


def test_a_program_sends_its_week_then_corrects_it(program, organisation, area):
    response = post(program, week(good_row(note="Vid stationen"), good_row(count=4)))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["organisation"], body["iso_week"], body["source"], body["closed"]) == (
        organisation.pk,
        "2026-W47",
        "api",
        False,
    )
    assert [row["count"] for row in body["rows"]] == [2, 4]
    assert body["rows"][0]["area_name"] == "Centrum"
    response = post(program, week(good_row(count=9)))
    assert response.status_code == 200
    assert list(ReportRow.objects.values_list("count", flat=True)) == [9]


def test_a_resend_is_harmless(program, area):
    first = post(program, week(good_row()))
    again = post(program, week(good_row()))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["updated_at"] == first.json()["updated_at"]
    assert ReportRow.objects.count() == 1


def test_the_week_may_be_its_monday(program, area):
    assert post(program, week(good_row(), week="2026-11-16")).status_code == 201
    assert post(program, week(good_row(), week="2026-11-17")).status_code == 400


def test_rows_by_position_and_by_mapped_name(program, organisation, area):
    CategoryMapping.objects.create(
        organisation=organisation, their_name="Klotter/tag", category=category("graffiti")
    )
    response = post(
        program,
        week(
            {
                "night": "2026-11-21",
                "latitude": 59.61,
                "longitude": "16.54",
                "category": "KLOTTER/TAG",
                "count": 1,
            }
        ),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rows"][0]["area"] == area.pk


def test_bad_rows_are_answered_row_by_row_and_nothing_is_written(program, area, other_area):
    response = post(
        program,
        week(
            good_row(),
            good_row(category="Bilbrand"),
            good_row(area="Hamnen"),
            good_row(category="dialogue"),
            good_row(night="2026-11-30"),
        ),
    )
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert {index: list(fields) for index, fields in rows.items()} == {
        "1": ["category"],
        "2": ["area"],
        "3": ["category"],
        "4": ["night"],
    }
    assert "händelse" in rows["3"]["category"][0]
    assert not WeeklyReport.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"count": 0},
        {"count": 10_001},
        {"count": 1e308},
        {"count": "tre"},
        {"night": "9999-12-31"},
        {"night": "0001-01-01"},
        {"latitude": 1e308, "longitude": 16.5, "area": None},
        {"note": "x" * 201},
        {"area": ["Centrum"]},
    ],
)
def test_bad_values_are_400(program, area, fields):
    response = post(program, week(good_row(**fields)))
    assert response.status_code == 400
    assert list(response.json()["rows"]["0"]) == [next(iter(fields))]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        "[]",
        '{"week": "2026-W99", "rows": []}',
        '{"week": "9999-W01", "rows": []}',
        '{"week": "2026-W47"}',
        '{"week": "2026-W47", "rows": {}}',
    ],
)
def test_bad_bodies_are_400(program, body):
    response = program.post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_a_formula_is_kept_as_text(program, area):
    formula = '=HYPERLINK("http://x","y")'
    assert post(program, week(good_row(note=formula))).status_code == 201
    assert ReportRow.objects.get().note == formula


def test_a_closed_week_is_409(program, area, persona):
    ClosedWeek.objects.create(week=WEEK_47, closed_by=persona("chief"))
    response = post(program, week(good_row()))
    assert response.status_code == 409
    assert "v. 47" in response.json()["detail"]


def test_another_organisations_id_is_404(program, area):
    other = OrganisationFactory()
    assert post(program, week(good_row(), organisation=other.pk)).status_code == 404
    assert not WeeklyReport.objects.exists()


def test_the_chief_enters_a_report_for_an_organisation(client_as, organisation, area):
    response = post(client_as("chief"), week(good_row(), organisation=organisation.pk))
    assert response.status_code == 201
    assert WeeklyReport.objects.get().organisation == organisation


def test_a_partner_lists_only_their_own_reports(program, organisation):
    own = WeeklyReportFactory(organisation=organisation)
    WeeklyReportFactory()  # another organisation's
    assert [report["id"] for report in program.get(URL).json()["results"]] == [own.pk]


def test_the_list_costs_the_same_for_one_report_or_many(
    program, organisation, django_assert_max_num_queries, django_assert_num_queries
):
    ReportRowFactory(report=WeeklyReportFactory(organisation=organisation))
    program.get(URL)  # the token's first use of the minute is written down
    with django_assert_max_num_queries(20) as one:
        program.get(URL)
    for offset in range(1, 6):
        report = WeeklyReportFactory(
            organisation=organisation, week=WEEK_47 - timedelta(days=7 * offset)
        )
        ReportRowFactory.create_batch(3, report=report)
    with django_assert_num_queries(len(one.captured_queries)):
        program.get(URL)


def test_a_method_the_api_does_not_answer_is_405_whatever_the_query(program):
    response = program.generic("TRACE", URL + "?cursor=&page_size=1")
    assert response.status_code == 405
