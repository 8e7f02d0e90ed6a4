"""The chief draws an area; a host starts a shift, arrives in an area and ends the shift."""

import math
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from patrols.models import Area, ShiftState, Visit
from tests.browser.conftest import DESK, shoot, sign_in
from tests.patrols.factories import AreaFactory, AssignmentFactory, make_shift, square

TORGET = square(16.540, 59.608, size=0.004)  # around the map centre


def test_chief_draws_an_area_on_the_map_and_saves_it(new_page, persona):
    AreaFactory(name="Resecentrum", boundary=square(16.550, 59.605))
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.goto("/patrols/areas/new/")
    page.get_by_label("Namn").fill("Bryggparken")
    page.get_by_label("Typ").select_option("park")
    page.get_by_label("Varför det är viktigt").fill("Ungdomar samlas vid bryggan sena kvällar.")

    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#area-map").bounding_box()
    left, top = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    corners = [(0, 0), (150, 10), (170, 140), (20, 120), (0, 0)]
    for dx, dy in corners:
        page.mouse.click(left + dx, top + dy)
    expect(page.locator("input[name=boundary]")).to_have_value(re.compile("Polygon"))
    shoot(page, "patrols-area-drawn")

    page.get_by_role("button", name="Spara området").click()
    # It covers a corner of Resecentrum: saved, and the chief sees the overlap on its page.
    expect(page.locator("[data-overlap-warning]")).to_contain_text("överlappar Resecentrum")
    page.goto("/patrols/areas/")
    expect(page.get_by_role("link", name="Bryggparken")).to_be_visible()
    area = Area.objects.get(name="Bryggparken")
    assert (area.kind, area.notes) == ("park", "Ungdomar samlas vid bryggan sena kvällar.")
    assert area.boundary["type"] == "Polygon"
    assert_ring_is_the_clicks(area.boundary["coordinates"][0], corners)
    shoot(page, "patrols-areas")

    AssignmentFactory(
        area=area,
        created_by=persona("chief"),
        reason="Bryggan efter skolavslutningen.",
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    hosts = [persona("host"), persona("other_host")]
    make_shift(hosts=hosts)
    page.goto("/patrols/assignments/")
    expect(page.get_by_text("Bryggan efter skolavslutningen.")).to_be_visible()
    shoot(page, "patrols-assignments")
    page.goto("/patrols/shifts/")
    for host in hosts:
        expect(page.get_by_text(str(host)).first).to_be_visible()
    shoot(page, "patrols-shifts")
    page.goto("/patrols/presence/")
    expect(page.get_by_role("cell", name="Bryggparken").first).to_be_visible()
    shoot(page, "patrols-presence")


def assert_ring_is_the_clicks(ring, clicks) -> None:
    """The saved ring is the polygon clicked on the map: closed, near the map's centre, and
    projected back to Web Mercator pixels (scaled by its first side) it lands on each click.
    The clicks go clockwise on the screen; RFC 7946 wants outer rings counter-clockwise, so the
    ring holds them in reverse."""
    clicks = clicks[::-1]
    assert len(ring) == len(clicks) and ring[0] == ring[-1]
    lat, lon, _zoom = settings.MAP_CENTER
    assert all(abs(x - lon) < 0.1 and abs(y - lat) < 0.1 for x, y in ring), ring

    def mercator(point):
        x, y = point
        return math.radians(x), -math.log(math.tan(math.pi / 4 + math.radians(y) / 2))

    origin = mercator(ring[0])
    projected = [(x - origin[0], y - origin[1]) for x, y in map(mercator, ring)]
    scale = math.dist(clicks[0], clicks[1]) / math.dist(projected[0], projected[1])
    for (x, y), click in zip(projected, clicks, strict=True):
        assert math.dist((x * scale, y * scale), click) < 3, (ring, clicks)


def test_host_starts_a_shift_marks_arrival_and_ends_it(new_page, persona):
    host = persona("host")
    now = timezone.localtime()
    area = AreaFactory(name="Torget", boundary=TORGET)
    AssignmentFactory(
        area=area,
        start_time=(now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        end_time=(now + timedelta(hours=3)).time().replace(second=0, microsecond=0),
        valid_from=now.date() - timedelta(days=1),
        reason="Bråk vid krogstängning; polisen vill ha synlig närvaro.",
    )
    AssignmentFactory(area=AreaFactory(name="Stadsparken"), priority=2)
    shift = make_shift(
        hosts=[host, persona("other_host")], start=now + timedelta(minutes=30), hours=6
    )
    page = new_page(
        color_scheme="dark",
        geolocation={"latitude": 59.610, "longitude": 16.542},
        permissions=["geolocation"],
    )
    sign_in(page, host.username)
    shoot(page, "patrols-host-planned")

    page.get_by_role("button", name="Starta passet").click()
    expect(page.get_by_text("Passet har startat")).to_be_visible()

    page.get_by_role("button", name="Vilket område är jag i?").click()
    suggestion = page.locator("#area-here")
    expect(suggestion).to_contain_text("Du verkar vara i Torget")
    suggestion.get_by_role("button", name="Framme i Torget").click()
    expect(page.locator("#area-" + str(area.pk))).to_contain_text("Här sedan")
    expect(suggestion).to_be_empty()

    page.get_by_role("button", name="Ett samtal till i Torget").click()
    expect(page.locator("#area-" + str(area.pk) + " .patrols-count")).to_have_text("1 samtal")
    shoot(page, "patrols-host-active")

    page.get_by_role("link", name="Avsluta passet").click()
    page.get_by_role("button", name="Avsluta passet").click()
    expect(page.get_by_text("Skriv en kort sammanfattning av passet.")).to_be_visible()
    page.get_by_label("Sammanfattning av passet").fill("Lugnt. Pratade med ungdomar vid torget.")
    shoot(page, "patrols-host-end")
    page.get_by_role("button", name="Avsluta passet").click()
    expect(page.get_by_text("Passet är avslutat")).to_be_visible()

    shift.refresh_from_db()
    assert shift.state == ShiftState.CLOSED
    visit = Visit.objects.get(shift=shift)
    assert (visit.area, visit.dialogues) == (area, 1)
    assert visit.left_at == shift.actual_end
