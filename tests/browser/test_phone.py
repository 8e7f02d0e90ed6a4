"""The host's phone on a running shift: what the first screen shows, and what the first load
carries over a weak link."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.dispatch.factories import request_in
from tests.patrols.factories import (
    AreaFactory,
    AssignmentFactory,
    PhoneLineFactory,
    VehicleFactory,
    make_shift,
)
from trygghet.dispatch import panels
from trygghet.dispatch.models import State

BOXES = (
    "nodes => nodes.map(n => { const r = n.getBoundingClientRect();"
    " return {y: r.y, height: r.height}; })"
)
# Kept free on the first screen for a thin status line at the top of the host's pages and one
# more compact button.
ROOM = 96
TORGET = {
    "type": "Polygon",
    "coordinates": [
        [[16.540, 59.609], [16.546, 59.609], [16.546, 59.612], [16.540, 59.612], [16.540, 59.609]]
    ],
}


def top(locator) -> float:
    """Where the element starts on the page (not the screen): the page may have scrolled."""
    return locator.evaluate("n => n.getBoundingClientRect().y + window.scrollY")


def on_shift_tonight(host, **options):
    now = timezone.localtime()
    area = AreaFactory(name="Torget", boundary=TORGET)
    AssignmentFactory(
        area=area,
        start_time=(now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        end_time=(now + timedelta(hours=3)).time().replace(second=0, microsecond=0),
        valid_from=now.date() - timedelta(days=1),
    )
    return make_shift(
        hosts=[host], active=True, phone_line=PhoneLineFactory(number="0722-31 39 41"), **options
    )


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
    assert max(bottoms) <= height - ROOM, "a quick-log button is below the first screen"
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


def test_with_no_call_out_the_panel_waits_below_the_quick_log_and_comes_up_with_one(
    new_page, persona, monkeypatch
):
    monkeypatch.setattr(panels, "POLL_SECONDS", 1)
    host = persona("host")
    shift = on_shift_tonight(host, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    page = new_page()
    sign_in(page, host.username)
    quick_log, call_outs = page.locator(".quicklog"), page.locator("#dispatch-panel")
    expect(call_outs).to_contain_text("Ingen utryckning just nu")
    assert top(call_outs) > top(page.locator("#tonight-panel")) > top(quick_log)
    page.evaluate("window.notReloaded = true")

    request_in(State.DISPATCHED, by=persona("chief"), shift=shift, what="Stökigt vid kiosken")
    expect(call_outs).to_contain_text("Stökigt vid kiosken", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    assert top(call_outs) < top(quick_log)


def test_a_running_call_out_takes_the_top_and_the_quick_log_stays_on_the_first_screen(
    new_page, persona
):
    host = persona("host")
    shift = on_shift_tonight(host, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    request_in(State.DISPATCHED, by=persona("chief"), shift=shift, what="Stökigt vid kiosken")
    page = new_page()
    sign_in(page, host.username)
    task = page.locator(".dispatch-task", has_text="Stökigt vid kiosken")
    expect(task).to_be_visible()
    first = page.locator(".quicklog-btn").first.bounding_box()
    assert top(task) < first["y"]
    assert first["y"] + first["height"] < page.viewport_size["height"]
