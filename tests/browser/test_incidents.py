import re

from playwright.sync_api import expect

from incidents.models import Escalation, Incident, NightButtonCall
from tests.browser.conftest import DESK, shoot, sign_in
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift

CENTRUM = {
    "type": "Polygon",
    "coordinates": [
        [[16.53, 59.60], [16.55, 59.60], [16.55, 59.62], [16.53, 59.62], [16.53, 59.60]]
    ],
}
HERE = {"latitude": 59.6111, "longitude": 16.5411}


def test_host_logs_graffiti_with_position_in_three_taps_and_calls_the_police(new_page, persona):
    host = persona("host")
    area = AreaFactory(name="Centrum", boundary=CENTRUM)
    make_shift(hosts=[host], active=True, phone_line=PhoneLineFactory(number="0722-31 39 41"))
    page = new_page(geolocation=HERE, permissions=["geolocation"], color_scheme="dark")
    sign_in(page, host.username)
    shoot(page, "incidents-host-start")

    page.get_by_role("link", name="Klotter").click()  # tap 1
    expect(page.locator("[data-position-status]")).to_contain_text("Position hämtad")
    shoot(page, "incidents-quick-log")
    page.get_by_role("button", name="Spara").click()  # tap 2
    expect(page.locator(".messages")).to_contain_text("Klotter sparad")

    incident = Incident.objects.get()
    assert incident.category == category("graffiti")
    assert incident.area == area
    assert float(incident.latitude) == HERE["latitude"]
    shoot(page, "incidents-host-start-after-log")

    # From the incident, one tap on the police's number records the call as the phone dials.
    page.locator(".loglist a").first.click()
    expect(page.get_by_role("heading", name="Larma")).to_be_visible()
    shoot(page, "incidents-host-detail")
    # Headless Chromium has no dialler: stop the tel: navigation after the page's own handler.
    page.evaluate(
        "window.addEventListener('click', (e) => {"
        " if (e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); })"
    )
    page.locator("a.call-link", has_text="Polisen").click()
    expect(page.locator("#escalations")).to_contain_text("Polis", timeout=5000)
    escalation = Escalation.objects.get()
    assert escalation.service == "police"
    assert escalation.incident == incident


def test_host_records_a_night_button_call(new_page, persona):
    host = persona("host")
    make_shift(hosts=[host], active=True, phone_line=PhoneLineFactory(number="0722-31 40 69"))
    page = new_page()
    sign_in(page, host.username)
    page.get_by_role("link", name="Nattknappen").first.click()
    page.get_by_role("button", name="Samtal startat").click()
    expect(page.get_by_role("heading", name="Hur slutade samtalet?")).to_be_visible()
    shoot(page, "incidents-night-button-running")
    page.get_by_role("button", name="Kom fram tryggt").click()
    expect(page.locator("table")).to_contain_text("Kom fram tryggt")
    shoot(page, "incidents-night-button-done")
    call = NightButtonCall.objects.get()
    assert call.outcome == "arrived"
    assert call.ended_at is not None


def test_chief_filters_the_list_and_opens_the_detail(new_page, persona):
    host = persona("host")
    area = AreaFactory(name="Centrum", boundary=CENTRUM)
    for code in ["graffiti", "littering", "crowd", "dialogue"]:
        IncidentFactory(reported_by=host, category=category(code), area=area)
    fire = IncidentFactory(
        reported_by=host,
        category=category("fire"),
        area=area,
        severity=3,
        description="Brand i papperskorg vid entrén, släckt med handbrandsläckare.",
    )
    EscalationFactory(incident=fire, service="rescue", reference="RTJ-4411")
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.get_by_role("link", name="Händelser").click()
    expect(page.locator(".incident-table tbody tr")).to_have_count(5)
    page.get_by_label("Kategori").select_option(label="Brand")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator(".incident-table tbody tr")).to_have_count(1)
    expect(page.locator("#incident-map .leaflet-interactive")).to_have_count(1)
    shoot(page, "incidents-chief-list")
    page.locator(".incident-table tbody a").first.click()
    expect(page).to_have_url(re.compile(rf"/incidents/{fire.pk}/$"))
    expect(page.locator("#escalations")).to_contain_text("RTJ-4411")
    shoot(page, "incidents-chief-detail")


def test_the_list_map_says_what_it_leaves_out_and_when_it_fails(new_page, persona, monkeypatch):
    monkeypatch.setattr("incidents.selectors.MAP_LIMIT", 2)
    area = AreaFactory(name="Centrum", boundary=CENTRUM)
    IncidentFactory.create_batch(3, reported_by=persona("host"), area=area)
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.goto("/incidents/")
    expect(page.locator("#incident-map-note")).to_have_text("Visar de 2 senaste positionerna.")
    page.route("**/incidents/map/**", lambda route: route.fulfill(status=200, body="<html>"))
    page.reload()
    note = page.locator("#incident-map-note")
    expect(note).to_have_attribute("role", "alert")
    expect(note).to_contain_text("Kartans punkter kunde inte hämtas")
