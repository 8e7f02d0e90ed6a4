from pathlib import Path

from playwright.sync_api import expect

from incidents.models import CitizenContact
from tests.browser.conftest import assert_drawn_dark, shoot
from tests.patrols.factories import AreaFactory, square

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_accessibility_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {violation['help']} {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_resident_reads_the_page_and_sends_a_report(new_page, db):
    area = AreaFactory(name="Centrum", boundary=square(16.540, 59.605, size=0.01))
    # bypass_csp lets the test inject axe-core; the app's own pages run under the strict policy.
    page = new_page(
        geolocation={"latitude": 59.61, "longitude": 16.545},
        permissions=["geolocation"],
        bypass_csp=True,
    )
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunens trygghetsvärdar")
    expect(page.get_by_role("link", name="Ring 112")).to_have_attribute("href", "tel:112")
    expect(page.locator("a[href='tel:0722313941']").first).to_be_visible()
    shoot(page, "public-home")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Klotter").check()
    page.get_by_label("Vad såg du?").fill("Nytt klotter på väggen vid busshållplatsen.")
    page.get_by_role("button", name="Använd min position").click()
    expect(page.locator("[data-report-position]")).to_have_text("Markerat på kartan.")
    page.get_by_role("button", name="Skicka rapporten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din rapport")
    contact = CitizenContact.objects.get()
    expect(page.locator(".reference strong")).to_have_text(contact.reference)
    assert contact.area == area
    assert contact.category.code == "graffiti"
    shoot(page, "public-report-thanks")
    assert serious_accessibility_violations(page) == []


def test_the_page_in_the_dark(new_page, db):
    page = new_page(color_scheme="dark")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    page.goto("/")
    # Nobody has chosen a theme here: the page follows the phone's setting.
    expect(page.locator("html")).to_have_attribute("data-theme", "auto")
    assert_drawn_dark(page, ".card", ".emergency", "textarea")
    shoot(page, "public-home-dark")
