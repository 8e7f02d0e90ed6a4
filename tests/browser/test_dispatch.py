import re

import pytest
from playwright.sync_api import expect

from incidents.models import ContactOutcome, Incident
from tests.browser.conftest import DESK, PHONE, shoot, sign_in
from tests.incidents.factories import CitizenContactFactory, category
from tests.patrols.factories import AreaFactory, PhoneLineFactory, VehicleFactory, make_shift
from trygghet.dispatch import panels, views
from trygghet.dispatch.models import DispatchRequest, Outcome, Position, State

CENTRUM = {
    "type": "Polygon",
    "coordinates": [
        [[16.53, 59.60], [16.55, 59.60], [16.55, 59.62], [16.53, 59.62], [16.53, 59.60]]
    ],
}
CAR_IS_HERE = {"latitude": 59.6105, "longitude": 16.5402}


@pytest.fixture(autouse=True)
def _poll_every_second(monkeypatch):
    """The pages ask every few seconds; in the test, every second."""
    monkeypatch.setattr(panels, "POLL_SECONDS", 1)
    monkeypatch.setattr(views, "BOARD_POLL_SECONDS", 1)


def test_chief_sends_the_car_for_a_citizen_contact_and_follows_the_host_to_an_incident(
    new_page, persona
):
    host = persona("host")
    AreaFactory(name="Centrum", boundary=CENTRUM)
    car = make_shift(
        hosts=[host],
        active=True,
        vehicle=VehicleFactory(name="Trygghetsbil 1"),
        phone_line=PhoneLineFactory(number="0722-31 39 41"),
    )
    contact = CitizenContactFactory(
        category=category("crowd"),
        reason="Boende ringde: ett tjugotal ungdomar vid kiosken, hög musik.",
        recorded_by=host,
        shift=car,
    )

    phone = new_page(
        viewport=PHONE, geolocation=CAR_IS_HERE, permissions=["geolocation"], color_scheme="dark"
    )
    sign_in(phone, host.username)
    expect(phone.locator("#dispatch-tasks")).to_contain_text("Ingen utryckning just nu")
    phone.evaluate("window.notReloaded = true")

    desk = new_page(viewport=DESK)
    sign_in(desk, persona("chief").username)
    desk.get_by_role("link", name="Utryckning", exact=True).click()
    expect(desk.locator(".dispatch-car")).to_contain_text("Senaste position: just nu")
    assert Position.objects.get().shift == car
    shoot(desk, "dispatch-board-contact")

    # From the citizen contact: the form is filled from it; a point on the map, high priority.
    desk.get_by_role("link", name="Skicka bilen").click()
    expect(desk.get_by_label("Anteckning till besättningen")).to_have_value(contact.reason)
    desk.get_by_label("Vad").fill("Stökigt gäng vid kiosken")
    desk.get_by_label("Hög").check()
    desk.locator("#dispatch-pick").click()
    shoot(desk, "dispatch-new-from-contact")
    desk.get_by_role("button", name="Spara utryckningen").click()
    expect(desk.locator(".messages")).to_contain_text("väntar på en bil")

    # One click sends the car.
    card = desk.locator(".dispatch-card", has_text="Stökigt gäng vid kiosken")
    card.get_by_role("button", name="Skicka Trygghetsbil 1").click()
    expect(desk.locator(".messages")).to_contain_text("Skickad till Trygghetsbil 1")
    expect(card).to_contain_text("Skickad · Trygghetsbil 1")
    shoot(desk, "dispatch-board-dispatched")

    # The host's phone shows it without a reload.
    task = phone.locator(".dispatch-task", has_text="Stökigt gäng vid kiosken")
    expect(task).to_be_visible(timeout=10_000)
    assert phone.evaluate("window.notReloaded") is True
    expect(task.get_by_role("link", name="Vägbeskrivning", exact=True)).to_have_attribute(
        "href", re.compile(r"^geo:59\.\d+,16\.\d+")
    )
    shoot(phone, "dispatch-host-new-task")

    desk.evaluate("window.notReloaded = true")
    task.get_by_role("button", name="Kvittera").click()
    expect(phone.locator(".messages")).to_contain_text("Kvitterad kl.")
    expect(card).to_contain_text("Kvitterad", timeout=10_000)

    phone.get_by_role("button", name="På plats").click()
    expect(phone.locator(".messages")).to_contain_text("På plats kl.")
    expect(card).to_contain_text("På plats", timeout=10_000)
    shoot(phone, "dispatch-host-on-scene")

    phone.get_by_role("link", name="Blev en händelse").click()
    expect(phone.get_by_label("Kategori")).to_have_value(str(category("crowd").pk))
    shoot(phone, "dispatch-host-incident")
    phone.get_by_label("Vad hände").fill("Gänget skingrades efter samtal, musiken avstängd.")
    phone.get_by_role("button", name="Logga händelsen och avsluta").click()
    expect(phone.locator(".messages")).to_contain_text("händelsen är loggad")
    expect(phone.locator("#dispatch-tasks")).to_contain_text("Ingen utryckning just nu")

    closed = desk.locator(".dispatch-recent li", has_text="Stökigt gäng vid kiosken")
    expect(closed).to_contain_text("Blev en händelse", timeout=10_000)
    assert desk.evaluate("window.notReloaded") is True
    shoot(desk, "dispatch-board-cleared")

    request = DispatchRequest.objects.get()
    incident = Incident.objects.get()
    assert (request.state, request.outcome, request.incident) == (
        State.CLEARED,
        Outcome.INCIDENT,
        incident,
    )
    assert [step.state for step in request.steps.all()] == [
        "requested",
        "dispatched",
        "acknowledged",
        "on_scene",
        "cleared",
    ]
    assert (incident.shift, incident.category, incident.area.name) == (
        car,
        category("crowd"),
        "Centrum",
    )
    contact.refresh_from_db()
    assert (contact.outcome, contact.incident) == (ContactOutcome.BECAME_INCIDENT, incident)
