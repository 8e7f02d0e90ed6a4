"""The host's phone on a running shift: what the first screen shows, and what the first load
carries over a weak link."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.patrols.factories import AreaFactory, AssignmentFactory, PhoneLineFactory, make_shift

BOXES = (
    "nodes => nodes.map(n => { const r = n.getBoundingClientRect();"
    " return {y: r.y, height: r.height}; })"
)
TORGET = {
    "type": "Polygon",
    "coordinates": [
        [[16.540, 59.609], [16.546, 59.609], [16.546, 59.612], [16.540, 59.612], [16.540, 59.609]]
    ],
}


def on_shift_tonight(host):
    now = timezone.localtime()
    area = AreaFactory(name="Torget", boundary=TORGET)
    AssignmentFactory(
        area=area,
        start_time=(now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        end_time=(now + timedelta(hours=3)).time().replace(second=0, microsecond=0),
        valid_from=now.date() - timedelta(days=1),
    )
    make_shift(hosts=[host], active=True, phone_line=PhoneLineFactory(number="0722-31 39 41"))
    return area


def test_with_a_shift_running_the_quick_log_fills_the_phones_first_screen(new_page, persona):
    host = persona("host")
    on_shift_tonight(host)
    page = new_page()
    sign_in(page, host.username)
    height = page.viewport_size["height"]
    buttons = page.locator(".quicklog-btn")
    expect(buttons.first).to_be_visible()
    bottoms = [box["y"] + box["height"] for box in buttons.evaluate_all(BOXES)]
    assert len(bottoms) >= 8
    assert max(bottoms) <= height, "a quick-log button is below the first screen"
    end = page.get_by_role("link", name="Avsluta passet").bounding_box()
    assert end["y"] > height, "ending the shift should not sit in the thumb zone"


def test_the_map_library_loads_only_when_tonights_map_comes_near(new_page, persona):
    host = persona("host")
    on_shift_tonight(host)
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, host.username)
    page.goto("/start/")
    page.wait_for_load_state("load")
    assert not any("leaflet" in url for url in requested)
    assert page.evaluate("typeof window.L") == "undefined"
    page.locator("[data-patrols-map]").scroll_into_view_if_needed()
    expect(page.locator("[data-patrols-map] .leaflet-interactive")).to_have_count(1)
    assert any("leaflet" in url for url in requested)
