import re
from datetime import time, timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from properties.models import Deviation, DeviationState, PropertyCheck
from tests.browser.conftest import DESK, shoot, sign_in
from tests.jobs import run_queued_jobs
from tests.patrols.factories import make_shift
from tests.properties.conftest import png_bytes
from tests.properties.factories import PropertyFactory

NOON = {
    f"closes_{day}": time(12)
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def test_host_checks_two_buildings_and_the_owner_closes_the_deviation(
    new_page, persona, department
):
    host = persona("host")
    owner = persona("owner")
    # Both are due whenever the test runs: one closes at noon, one is closed all day.
    PropertyFactory(name="Vallbyskolan", department=department, priority=1, **NOON)
    PropertyFactory(name="Bäckby sporthall", department=department, **{k: None for k in NOON})
    make_shift(hosts=[host], start=timezone.now() - timedelta(hours=1), hours=8, active=True)

    page = new_page(color_scheme="dark")
    sign_in(page, host.username)
    page.get_by_role("link", name="Öppna kvällens rond").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvällens rond")
    due = page.locator("ol.stops")
    expect(due.locator(".stop-name")).to_have_text(["Vallbyskolan", "Bäckby sporthall"])
    shoot(page, "properties-round")

    # The first building: one tap.
    due.get_by_text("Vallbyskolan").click()
    expect(page.get_by_text("larmkod 4711")).to_be_visible()
    shoot(page, "properties-check")
    page.get_by_role("button", name="Allt i ordning").click()
    expect(page.get_by_text("Vallbyskolan: allt i ordning.")).to_be_visible()

    # The second: the door was open; the host locked it and took a photo.
    page.locator("ol.stops").get_by_text("Bäckby sporthall").click()
    page.get_by_role("group", name="Dörrar låsta").get_by_text("Inte i ordning").click()
    expect(page.get_by_role("button", name="Allt i ordning")).to_be_disabled()
    page.get_by_label("Vad hittade du?").fill("Dörren till omklädningsrummet stod olåst.")
    page.get_by_text("Låste", exact=True).click()
    page.get_by_label("Foton").set_input_files(
        {"name": "dorr.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    shoot(page, "properties-check-deviation")
    page.get_by_role("button", name="Spara kontrollen").click()
    expect(page.get_by_text("avvikelsen är registrerad")).to_be_visible()
    expect(page.locator("ol.stops")).to_have_count(0)
    expect(page.get_by_role("heading", name="Kontrollerade i kväll")).to_be_visible()
    shoot(page, "properties-round-done")

    assert PropertyCheck.objects.count() == 2
    deviation = Deviation.objects.get()
    assert deviation.items == ["locked"] and deviation.photos.count() == 1
    assert run_queued_jobs() == ["properties.tasks.deviation_email"]
    assert len(mail.outbox) == 1

    # The owner, at a desk, acknowledges and then resolves it.
    desk = new_page(viewport=DESK)
    sign_in(desk, owner.username)
    expect(desk.get_by_role("heading", name="Avvikelser vid byggnaderna")).to_be_visible()
    shoot(desk, "properties-owner-start")
    desk.get_by_role("link", name="Bäckby sporthall").click()
    expect(desk.get_by_text("Dörren till omklädningsrummet stod olåst.")).to_be_visible()
    expect(desk.get_by_role("img", name="Foto 1")).to_be_visible()
    shoot(desk, "properties-deviation-open")
    desk.get_by_role("button", name="Kvittera").click()
    expect(desk.get_by_text("Avvikelsen är nu kvitterad.")).to_be_visible()
    desk.get_by_label("Vad som har gjorts").fill("Låset justerat av fastighetsjouren.")
    desk.get_by_role("button", name="Markera som åtgärdad").click()
    expect(desk.get_by_text("Avvikelsen är nu åtgärdad.")).to_be_visible()
    expect(desk.locator(".timeline li")).to_have_count(3)
    shoot(desk, "properties-deviation-resolved")
    desk.get_by_role("link", name="Avvikelser", exact=True).first.click()
    expect(desk).to_have_url(re.compile(r"/properties/deviations/$"))
    expect(desk.get_by_text("Inga avvikelser här.")).to_be_visible()

    deviation.refresh_from_db()
    assert deviation.state == DeviationState.RESOLVED
    assert [s.by for s in deviation.steps.all()] == [host, owner, owner]


def test_chief_sees_a_building_on_its_map_and_moves_it_by_tapping_the_map(
    new_page, persona, department
):
    building = PropertyFactory(
        name="Vallbyskolan",
        department=department,
        latitude=Decimal("59.6"),
        longitude=Decimal("16.54"),
    )
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.goto(f"/properties/{building.pk}/")
    expect(page.locator("[data-point-map] .leaflet-marker-icon")).to_have_count(1)

    page.goto(f"/properties/{building.pk}/edit/")
    latitude, longitude = page.get_by_label("Latitud"), page.get_by_label("Longitud")
    expect(latitude).to_have_value(re.compile(r"^59\.60*$"))
    expect(page.locator("[data-pick-map] .leaflet-marker-icon")).to_have_count(1)
    page.locator("[data-pick-map]").click(position={"x": 60, "y": 60})
    expect(latitude).not_to_have_value(re.compile(r"^59\.60*$"))
    picked = (latitude.input_value(), longitude.input_value())
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/properties/{building.pk}/")

    # Up and to the left of the building: north-west of where it was, to six decimals.
    building.refresh_from_db()
    assert building.latitude > Decimal("59.6") and building.longitude < Decimal("16.54")
    assert (format(building.latitude, "f"), format(building.longitude, "f")) == picked
