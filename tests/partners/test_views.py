import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.accounts.factories import OrganisationFactory
from tests.incidents.factories import category
from tests.partners.factories import WEEK_47, WEEK_47_URL, ReportRowFactory, WeeklyReportFactory
from trygghet.partners.models import (
    ClosedWeek,
    ReportRow,
    ReportSource,
    UploadLayout,
)

pytestmark = pytest.mark.django_db

LIST = reverse("partners:report-list")
DAY = timedelta(days=1)


def edit_url(organisation, week=WEEK_47_URL):
    return reverse("partners:report-edit", args=[organisation.pk, week])


def layout_url(organisation):
    return reverse("partners:upload-layout", args=[organisation.pk])


def management(total, initial=0, prefix="form"):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "2000",
    }


def rows_data(*rows, blank=1):
    data = management(len(rows) + blank)
    for index, row in enumerate(rows):
        data |= {f"form-{index}-{field}": value for field, value in row.items()}
    return data


def a_row(where, **fields):
    return {
        "night": "2026-11-20",
        "area": str(where.pk),
        "category": str(category("graffiti").pk),
        "count": "3",
        "note": "",
    } | fields


READERS: dict[str, int | str] = dict(
    anonymous=LOGIN, chief=200, host=403, owner=403, partner=200, report_client=LOGIN, admin=200
)


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS, dpo=403))
def test_list_access(client_as, partner, role, expected):
    assert_answer(client_as(role).get(LIST), expected)


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS, dpo=403))
def test_edit_page_access(client_as, partner, organisation, role, expected):
    assert_answer(client_as(role).get(edit_url(organisation)), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**(READERS | {"chief": DONE, "partner": DONE, "admin": DONE}), dpo=403),
)
def test_saving_access(client_as, partner, organisation, area, role, expected):
    response = client_as(role).post(edit_url(organisation), rows_data(a_row(area)))
    assert_answer(response, expected, done=edit_url(organisation))
    assert ReportRow.objects.exists() == (expected == DONE)


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS, dpo=403))
def test_upload_page_access(client_as, partner, organisation, role, expected):
    url = reverse("partners:report-upload", args=[organisation.pk, WEEK_47_URL])
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS, dpo=403))
def test_layout_page_access(client_as, partner, organisation, role, expected):
    assert_answer(client_as(role).get(layout_url(organisation)), expected)


@pytest.mark.parametrize(
    "name", ["partners:report-edit", "partners:report-upload", "partners:upload-layout"]
)
def test_another_organisations_pages_are_404(client_as, partner, name):
    other = OrganisationFactory()
    args = [other.pk] if name == "partners:upload-layout" else [other.pk, WEEK_47_URL]
    assert client_as("partner").get(reverse(name, args=args)).status_code == 404


def test_a_partner_without_an_organisation_has_nothing_to_report(client_as, persona):
    persona("partner").organisation = None
    persona("partner").save(update_fields=["organisation"])
    response = client_as("partner").get(LIST)
    assert "tillhör ingen samverkansorganisation" in response.content.decode()
    assert client_as("partner").get(edit_url(OrganisationFactory())).status_code == 404


@pytest.mark.parametrize("week", ["2026-W60", "9999-W01", "0000-W01", "2026-11-16", "1"])
def test_a_week_that_does_not_exist_is_404(client_as, partner, organisation, week):
    assert client_as("partner").get(edit_url(organisation, week)).status_code == 404


def test_the_list_links_each_report_to_its_week(client_as, partner, organisation):
    WeeklyReportFactory(organisation=organisation, week=WEEK_47 - timedelta(weeks=40))
    page = client_as("partner").get(LIST).content.decode()
    link = edit_url(organisation, "2026-W7")
    assert link in page
    assert client_as("partner").get(link).status_code == 200


def test_the_week_is_chosen_by_its_number(client_as, partner, organisation, time_machine):
    time_machine.move_to("2026-11-25 12:00+01:00")
    page = client_as("partner").get(LIST).content.decode()
    assert "v. 48" in page and "v. 47 (16–22 november 2026)" in page
    response = client_as("partner").get(LIST, {"week": "2026-W47", "organisation": organisation.pk})
    assert response["Location"] == edit_url(organisation)


def test_the_list_shows_own_reports_only(client_as, partner, organisation):
    WeeklyReportFactory(organisation=organisation)
    WeeklyReportFactory(organisation=OrganisationFactory(name="Säkerhetsbolaget"))
    page = client_as("partner").get(LIST).content.decode()
    assert "Bostadsbolaget" in page and "Säkerhetsbolaget" not in page
    assert "Säkerhetsbolaget" in client_as("chief").get(LIST).content.decode()


def test_the_form_saves_and_shows_the_week_back(client_as, partner, organisation, area):
    client = client_as("partner")
    client.post(edit_url(organisation), rows_data(a_row(area, note="Vid porten"), a_row(area)))
    report = organisation.weekly_reports.get()
    assert (report.source, report.rows.count()) == (ReportSource.FORM, 2)
    page = client.get(edit_url(organisation)).content.decode()
    assert "Vid porten" in page
    assert "aldrig om personer" in page  # the note is about places


def test_blank_rows_as_the_browser_sends_them_are_left_out(client_as, partner, organisation, area):
    blank = {"night": "", "area": "", "category": "", "count": "", "note": ""}
    blank |= {"latitude": "", "longitude": ""}
    response = client_as("partner").post(edit_url(organisation), rows_data(a_row(area), blank))
    assert response.status_code == 302
    assert ReportRow.objects.count() == 1


def test_removing_a_row_corrects_the_report(client_as, partner, organisation, area):
    row = ReportRowFactory(
        report=WeeklyReportFactory(organisation=organisation), area=area, count=4
    )
    data = rows_data(a_row(area, count="4", DELETE="on"), a_row(area, count="2"))
    data["form-INITIAL_FORMS"] = "1"
    client_as("partner").post(edit_url(organisation), data)
    assert list(ReportRow.objects.values_list("count", flat=True)) == [2]
    assert not ReportRow.objects.filter(pk=row.pk).exists()


def test_bad_rows_are_shown_on_their_row(client_as, partner, organisation, area, other_area):
    response = client_as("partner").post(
        edit_url(organisation),
        rows_data(
            a_row(area), a_row(other_area), a_row(area, count="0"), a_row(area, note="x" * 201)
        ),
    )
    assert response.status_code == 400
    assert not ReportRow.objects.exists()


def test_a_place_on_the_map_is_a_row(client_as, partner, organisation, area):
    response = client_as("partner").post(
        edit_url(organisation),
        rows_data(a_row(area, area="", latitude="59.61", longitude="16.54")),
    )
    assert response.status_code == 302
    assert ReportRow.objects.get().area == area


def test_a_closed_week_is_read_only(client_as, partner, organisation, area, persona):
    ReportRowFactory(report=WeeklyReportFactory(organisation=organisation), area=area, note="Gamla")
    ClosedWeek.objects.create(week=WEEK_47, closed_by=persona("chief"))
    client = client_as("partner")
    page = client.get(edit_url(organisation)).content.decode()
    assert "Gamla" in page and "stängd" in page and '<form method="post" class="stack"' not in page
    response = client.post(edit_url(organisation), rows_data(a_row(area)))
    assert response.status_code == 400
    assert ReportRow.objects.get().note == "Gamla"


def test_the_chief_enters_a_report_on_behalf(client_as, organisation, area):
    client_as("chief").post(edit_url(organisation), rows_data(a_row(area)))
    assert organisation.weekly_reports.get().rows.count() == 1


def test_the_layout_is_saved_per_organisation(client_as, partner, organisation):
    data = management(1, prefix="mapping") | {
        "mapping-0-their_name": "Skadegörelse bil",
        "mapping-0-category": str(category("vandalism").pk),
    }
    data |= {
        "night_column": "Datum",
        "date_format": "%d/%m/%Y",
        "area_column": "Plats",
        "category_column": "Typ",
        "count_column": "Antal",
        "note_column": "",
    }
    response = client_as("partner").post(layout_url(organisation), data)
    assert response.status_code == 302
    layout = UploadLayout.objects.get(organisation=organisation)
    assert layout.columns() == {
        "night": "datum",
        "area": "plats",
        "category": "typ",
        "count": "antal",
    }


def test_the_nights_offered_are_the_weeks(client_as, partner, organisation):
    page = client_as("partner").get(edit_url(organisation)).content.decode()
    assert 'value="2026-11-16"' in page and 'value="2026-11-22"' in page
    assert 'value="2026-11-23"' not in page
    # A blank row's night starts empty, or the browser would send its first night as filled in.
    assert re.search(r'<select name="form-0-night"[^>]*>\s*<option value="" selected>', page)


def test_the_list_costs_the_same_for_one_report_or_many(
    client_as, partner, organisation, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_as("partner")
    ReportRowFactory(report=WeeklyReportFactory(organisation=organisation))
    client.get(LIST)
    with django_assert_max_num_queries(20) as one:
        client.get(LIST)
    for weeks_back in range(1, 6):
        report = WeeklyReportFactory(organisation=organisation, week=WEEK_47 - 7 * DAY * weeks_back)
        ReportRowFactory.create_batch(2, report=report)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(LIST)
