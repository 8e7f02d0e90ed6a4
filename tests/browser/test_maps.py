"""With the tile server out of reach, the maps still show their areas, markers and a scale on a
plain light background, not Leaflet's grey box."""

from playwright.sync_api import expect

from tests.browser.conftest import DESK, luminance, shoot, sign_in
from tests.core.test_database import free_port
from tests.incidents.factories import IncidentFactory
from tests.patrols.factories import AreaFactory, square


def test_maps_without_tiles_show_areas_markers_and_a_scale_on_a_light_background(
    new_page, persona, settings
):
    closed = f"http://127.0.0.1:{free_port()}"
    settings.MAP_TILE_URL = closed + "/{z}/{x}/{y}.png"
    AreaFactory(name="Stora torget", boundary=square(16.540, 59.608, size=0.004))
    IncidentFactory(reported_by=persona("host"))
    page = new_page(viewport=DESK, unreachable=closed)
    sign_in(page, persona("chief").username)

    for path, drawn in (("/patrols/areas/", "area"), ("/incidents/", "incident")):
        with page.expect_event("requestfailed", lambda r: r.url.startswith(closed)) as tile:
            page.goto(path)
        assert tile.value.failure, path
        expect(page.locator(".map path.leaflet-interactive")).to_have_count(1)
        expect(page.locator(".map .leaflet-control-scale-line")).to_contain_text(" m")
        background = page.locator(".map").evaluate("e => getComputedStyle(e).backgroundColor")
        assert luminance(background) > 0.8, f"{path}: {background}"
        shoot(page, f"map-without-tiles-{drawn}")
