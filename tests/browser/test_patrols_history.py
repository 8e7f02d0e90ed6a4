"""The chief changes an area's boundary with a reason, reads its history and sees it as it was
on a date; a new area over another shows the overlap. The host writes the odometer at the end
of the shift."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from patrols.models import Area, AreaVersion, Shift, ShiftState
from patrols.services import area_create
from tests.browser.conftest import DESK, shoot, sign_in
from tests.patrols.factories import VehicleFactory, make_shift, square

TORGET = square(16.540, 59.608, size=0.004)  # around the map centre


def _draw(page, corners, at=(0.3, 0.3)):
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#area-map").bounding_box()
    left, top = box["x"] + box["width"] * at[0], box["y"] + box["height"] * at[1]
    for dx, dy in corners:
        page.mouse.click(left + dx, top + dy)


def test_chief_edits_a_boundary_and_reads_its_history(new_page, persona):
    chief = persona("chief")
    area = area_create(name="Torget", kind="centre", boundary=TORGET, by=chief)
    drawn = timezone.now() - timedelta(days=90)
    AreaVersion.objects.filter(area=area).update(created_at=drawn)
    page = new_page(viewport=DESK)
    sign_in(page, chief.username)

    page.goto(f"/patrols/areas/{area.pk}/")
    # A second outline beside the first: the boundary becomes a MultiPolygon.
    _draw(page, [(0, 0), (60, 0), (60, 50), (0, 50), (0, 0)], at=(0.1, 0.1))
    expect(page.locator("input[name=boundary]")).to_have_value(re.compile("MultiPolygon"))
    page.get_by_label("Varför gränsen ändras").fill("Samråd med polisen: ta med busshållplatsen.")
    page.get_by_role("button", name="Spara området").click()
    expect(page).to_have_url(re.compile(r"/patrols/areas/$"))

    page.goto(f"/patrols/areas/{area.pk}/")
    versions = page.locator("[data-area-versions] tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Samråd med polisen: ta med busshållplatsen.")
    expect(versions.first).to_contain_text(str(chief))
    shoot(page, "patrols-area-history")

    page.get_by_label("Visa som den var den").fill(f"{timezone.localdate(drawn) + timedelta(1)}")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.locator("[data-area-then-note]")).to_contain_text("(version 1)")
    # The old outline is drawn in orange beside today's.
    expect(page.locator('#area-map path[stroke="#e65100"]')).to_have_count(1)
    shoot(page, "patrols-area-as-it-was")
    area.refresh_from_db()
    assert area.boundary["type"] == "MultiPolygon"
    assert area.versions.get(number=2).reason == "Samråd med polisen: ta med busshållplatsen."


def test_a_new_area_over_another_shows_the_overlap(new_page, persona):
    area_create(name="Torget", kind="centre", boundary=TORGET)
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.goto("/patrols/areas/new/")
    page.get_by_label("Namn").fill("Hela centrum")
    page.get_by_label("Typ").select_option("centre")
    expect(page.locator('#area-map path[stroke="#78909c"]')).to_have_count(1)  # Torget, grey
    # Around the whole map, so Torget (at the centre) lies inside it.
    box = page.locator("#area-map").bounding_box()
    page.locator(".leaflet-pm-icon-polygon").click()
    w, h = box["width"], box["height"]
    for x, y in [(0.15, 0.15), (0.85, 0.15), (0.85, 0.85), (0.15, 0.85), (0.15, 0.15)]:
        page.mouse.click(box["x"] + w * x, box["y"] + h * y)
    page.get_by_role("button", name="Spara området").click()
    expect(page.locator("[data-overlap-warning]")).to_contain_text("överlappar Torget")
    expect(page.locator('#area-map path[stroke="#c62828"]')).to_have_count(1)
    shoot(page, "patrols-area-overlap")
    assert Area.objects.filter(name="Hela centrum").exists()


def test_host_writes_the_odometer_at_the_end_of_the_shift(new_page, persona):
    host = persona("host")
    car = VehicleFactory(registration="KMV28H", name="Trygghetsbil 1")
    now = timezone.now()
    before = make_shift(hosts=[host], start=now - timedelta(days=1, hours=6), hours=5, vehicle=car)
    Shift.objects.filter(pk=before.pk).update(
        state=ShiftState.CLOSED,
        actual_start=before.planned_start,
        actual_end=before.planned_end,
        odometer_end=12_000,
    )
    shift = make_shift(hosts=[host], start=now - timedelta(hours=2), active=True, vehicle=car)
    page = new_page()
    sign_in(page, host.username)
    page.get_by_role("link", name="Avsluta passet").click()
    odometer = page.get_by_label("Mätarställning (km)")
    expect(odometer).to_have_value("12000")
    odometer.fill("11990")
    page.get_by_label("Sammanfattning av passet").fill("Lugnt.")
    page.get_by_role("button", name="Avsluta passet").click()
    expect(page.get_by_text("kan inte vara lägre än bilens senaste, 12000 km")).to_be_visible()
    shoot(page, "patrols-host-odometer")
    page.get_by_label("Mätarställning (km)").fill("12061")
    page.get_by_role("button", name="Avsluta passet").click()
    expect(page.get_by_text("Passet är avslutat")).to_be_visible()
    shift.refresh_from_db()
    assert (shift.state, shift.odometer_start, shift.kilometres) == (ShiftState.CLOSED, 12_000, 61)


def test_host_copies_and_revokes_the_calendar_address(new_page, persona):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, persona("host").username)
    page.goto("/patrols/my-shifts/")
    page.get_by_role("link", name="I min kalender").click()
    address = page.get_by_label("Din privata adress")
    old = address.input_value()
    assert re.search(r"/patrols/calendar/[0-9a-f-]{36}\.ics$", old)
    page.get_by_role("button", name="Kopiera adressen").click()
    expect(page.get_by_role("button", name="Kopierad")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old
    shoot(page, "patrols-calendar")
    page.get_by_role("button", name="Skapa en ny adress").click()
    expect(page.get_by_text("Den gamla fungerar inte längre")).to_be_visible()
    assert page.get_by_label("Din privata adress").input_value() != old
    assert page.request.get(old).status == 404
