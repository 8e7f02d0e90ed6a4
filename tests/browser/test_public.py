from pathlib import Path

import pytest
from playwright.sync_api import expect

from incidents.models import CitizenContact
from tests.browser.conftest import assert_drawn_dark, luminance, shoot
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


def report_with_a_mistake(page):
    # The refusal's 400 would be logged as a console error (which fails the test): the page is
    # handed over as it is, with a 200.
    page.route(
        "**/public/report/",
        lambda route: route.fulfill(response=route.fetch(), status=200),
    )
    page.goto("/")
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state("networkidle")


def report_sent(page):
    page.goto("/")
    page.get_by_label("Klotter").check()
    page.get_by_label("Vad såg du?").fill("Klotter på väggen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "visit",
    [
        lambda page: page.goto("/"),
        report_with_a_mistake,
        report_sent,
        lambda page: page.goto("/accounts/login/"),
    ],
    ids=["home", "report-refused", "report-thanks", "sign-in"],
)
def test_every_public_page_passes_axe_in_both_schemes(new_page, db, scheme, visit):
    page = new_page(color_scheme=scheme, bypass_csp=True)
    visit(page)
    assert serious_accessibility_violations(page) == []


def test_the_112_button_reads_in_the_dark(new_page, db):
    page = new_page(color_scheme="dark")
    page.goto("/")
    background, text = page.get_by_role("link", name="Ring 112").evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    contrast = (luminance(text) + 0.05) / (luminance(background) + 0.05)
    assert contrast >= 4.5, f"{text} on {background}: {contrast:.2f}:1"
