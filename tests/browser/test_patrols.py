"""The chief draws an area; a host starts a shift, arrives in an area and ends the shift."""

import re
from datetime import timedelta

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
    expect(page).to_have_url(re.compile(r"/patrols/areas/$"))
    expect(page.get_by_role("link", name="Bryggparken")).to_be_visible()
    area = Area.objects.get(name="Bryggparken")
    assert area.boundary["type"] == "Polygon" and len(area.boundary["coordinates"][0]) == 5
    shoot(page, "patrols-areas")

    AssignmentFactory(area=area, created_by=persona("chief"))
    make_shift(hosts=[persona("host"), persona("other_host")])
    for url, name in [
        ("/patrols/assignments/", "patrols-assignments"),
        ("/patrols/shifts/", "patrols-shifts"),
        ("/patrols/presence/", "patrols-presence"),
    ]:
        page.goto(url)
        shoot(page, name)


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
