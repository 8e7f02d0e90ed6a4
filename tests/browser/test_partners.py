from playwright.sync_api import expect

from tests.accounts.factories import OrganisationFactory
from tests.browser.conftest import shoot, sign_in
from tests.patrols.factories import AreaFactory, square
from trygghet.partners.models import ReportRow


def test_a_partner_reports_the_week_with_an_added_row_and_a_place_on_the_map(new_page, persona):
    organisation = OrganisationFactory(name="Bostadsbolaget")
    area = AreaFactory(name="Centrum", boundary=square(16.53, 59.60, 0.02))
    partner = persona("partner")
    partner.organisation = organisation
    partner.save()

    page = new_page()
    sign_in(page, partner.username)
    page.goto("/partners/reports/")
    page.get_by_role("button", name="Öppna veckan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bostadsbolaget: v. ")
    expect(page.get_by_text("aldrig om personer")).to_be_visible()

    rows = page.locator("[data-row]")
    expect(rows).to_have_count(5)
    first = rows.nth(0)
    first.get_by_label("Natt").select_option(index=1)
    first.get_by_label("Område").select_option(label="Centrum")
    first.get_by_label("Kategori").select_option(label="Klotter")
    first.get_by_label("Antal").fill("3")
    first.get_by_label("Anteckning").fill("Vid busshållplatsen")

    page.get_by_role("button", name="Lägg till en rad").click()
    expect(rows).to_have_count(6)
    added = rows.nth(5)
    added.get_by_label("Natt").select_option(index=2)
    added.get_by_label("Kategori").select_option(label="Klotter")
    added.get_by_label("Antal").fill("1")
    added.get_by_role("button", name="Plats på kartan").click()
    page.locator("[data-report-map]").click()
    expect(added.get_by_text("Plats vald på kartan")).to_be_visible()
    shoot(page, "partners-report")

    page.get_by_role("button", name="Spara veckans rapport").click()
    expect(page.get_by_text("Sparat:")).to_be_visible()
    assert ReportRow.objects.count() == 2
    assert ReportRow.objects.filter(latitude__isnull=False, area=area).count() == 1
