from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.accounts.factories import OrganisationFactory
from tests.incidents.factories import category
from tests.partners.factories import WEEK_47, ReportRowFactory, WeeklyReportFactory
from trygghet.partners.models import CategoryMapping, ClosedWeek, ReportRow, ReportSource
from trygghet.partners.services import (
    Names,
    RowInput,
    RowsRefused,
    week_label,
    weekly_report_submit,
)

pytestmark = pytest.mark.django_db


def submit(organisation, by, rows, week=WEEK_47):
    return weekly_report_submit(
        organisation=organisation, week=week, rows=rows, by=by, source=ReportSource.FORM
    )


def row(area, night, **options):
    return RowInput(
        night=night,
        category=options.pop("category", None) or category("graffiti"),
        count=options.pop("count", 3),
        area=area,
        **options,
    )


def test_a_report_is_made_with_its_rows(organisation, partner, area, friday):
    submitted = submit(organisation, partner, [row(area, friday, note="Vid busshållplatsen")])
    assert submitted.created and submitted.changed
    stored = submitted.report.rows.get()
    assert (stored.night, stored.area, stored.count, stored.note) == (
        friday,
        area,
        3,
        "Vid busshållplatsen",
    )


def test_a_correction_replaces_the_rows(organisation, partner, area, friday):
    submit(organisation, partner, [row(area, friday), row(area, friday, count=5)])
    submitted = submit(organisation, partner, [row(area, friday, count=7)])
    assert not submitted.created and submitted.changed
    assert list(submitted.report.rows.values_list("count", flat=True)) == [7]


def test_the_same_rows_again_change_nothing(organisation, partner, area, friday):
    rows = [row(area, friday), row(area, friday + timedelta(days=1), count=2)]
    first = submit(organisation, partner, rows)
    ids = set(ReportRow.objects.values_list("pk", flat=True))
    again = submit(organisation, partner, list(reversed(rows)))
    assert (again.created, again.changed) == (False, False)
    assert set(ReportRow.objects.values_list("pk", flat=True)) == ids
    assert again.report.updated_at == first.report.updated_at


def test_a_closed_week_is_refused_and_nothing_changes(organisation, partner, area, friday, persona):
    submit(organisation, partner, [row(area, friday)])
    ClosedWeek.objects.create(week=WEEK_47, closed_by=persona("chief"))
    with pytest.raises(ValidationError) as refused:
        submit(organisation, partner, [row(area, friday, count=9)])
    assert refused.value.code == "week_closed"
    assert "v. 47" in refused.value.messages[0] and "stängt" in refused.value.messages[0]
    assert ReportRow.objects.get().count == 3


def test_every_bad_row_is_named_and_nothing_is_written(organisation, partner, area, other_area):
    rows = [
        row(area, WEEK_47 - timedelta(days=1)),  # the Sunday before
        row(area, WEEK_47, category=category("dialogue")),  # the hosts' work, not an event
        row(other_area, WEEK_47),
        row(None, WEEK_47),
        row(area, WEEK_47, note="x" * 201),
        row(area, WEEK_47, count=10_001),
        row(None, WEEK_47, latitude=Decimal("40.0"), longitude=Decimal("16.5")),
        row(area, WEEK_47 + timedelta(days=6)),  # Sunday: the week's last night
    ]
    with pytest.raises(RowsRefused) as refused:
        submit(organisation, partner, rows)
    assert {index: sorted(fields) for index, fields in refused.value.rows.items()} == {
        0: ["night"],
        1: ["category"],
        2: ["area"],
        3: ["area"],
        4: ["note"],
        5: ["count"],
        6: ["latitude"],
    }
    assert "Rad 1: " in refused.value.messages[0]
    assert not ReportRow.objects.exists()


def test_a_place_on_the_map_finds_the_area(organisation, partner, area, friday):
    submitted = submit(
        organisation,
        partner,
        [row(None, friday, latitude=Decimal("59.61"), longitude=Decimal("16.54"))],
    )
    stored = submitted.report.rows.get()
    assert (stored.area, stored.latitude) == (area, Decimal("59.610000"))


def test_a_place_outside_the_organisations_areas_stays_a_rough_place(
    organisation, partner, area, other_area, friday
):
    submitted = submit(
        organisation,
        partner,
        [row(None, friday, latitude=Decimal("59.61"), longitude=Decimal("16.61"))],
    )
    assert submitted.report.rows.get().area is None


def test_an_organisation_seeing_every_area_reports_in_any(partner, other_area, friday):
    everywhere = OrganisationFactory(all_areas=True)
    assert submit(everywhere, partner, [row(other_area, friday)]).created


def test_a_week_starts_on_monday(organisation, partner):
    with pytest.raises(ValidationError):
        submit(organisation, partner, [], week=WEEK_47 + timedelta(days=1))


def test_an_empty_week_is_a_report_of_nothing(organisation, partner):
    assert submit(organisation, partner, []).report.rows.count() == 0


def test_names_read_their_mapping_our_codes_and_names_in_any_case(organisation, area):
    CategoryMapping.objects.create(
        organisation=organisation, their_name="Skadegörelse-Fordon", category=category("vandalism")
    )
    names = Names(organisation)
    assert names.category("skadegörelse-fordon") == category("vandalism")
    assert names.category(" GRAFFITI ") == category("graffiti")
    assert names.category(category("graffiti").name_sv.upper()) == category("graffiti")
    assert names.area("centrum") == area
    assert names.area(area.pk) == area
    with pytest.raises(ValidationError, match="Okänd kategori"):
        names.category("Bilbrand")
    with pytest.raises(ValidationError, match="Centrum"):
        names.area("Hamnen")


def test_another_organisations_mapping_is_not_read(organisation):
    CategoryMapping.objects.create(
        organisation=OrganisationFactory(), their_name="Klotter-tag", category=category("graffiti")
    )
    with pytest.raises(ValidationError):
        Names(organisation).category("Klotter-tag")


def test_the_week_is_labelled_by_its_number():
    assert week_label(WEEK_47) == "v. 47 (16–22 november 2026)"


def test_a_report_of_another_week_is_left_alone(organisation, partner, area, friday):
    earlier = WeeklyReportFactory(organisation=organisation, week=WEEK_47 - timedelta(days=7))
    ReportRowFactory(report=earlier)
    submit(organisation, partner, [row(area, friday)])
    assert earlier.rows.count() == 1
