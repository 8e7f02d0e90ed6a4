"""The host's phone in a dead zone: pages kept on the phone open without a network, what the
host saves waits in the outbox and reaches the server once, with the moment it happened."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident
from patrols.models import ShiftState
from properties.models import Deviation, PropertyCheck
from tests.browser.conftest import shoot, sign_in
from tests.patrols.factories import make_shift
from tests.properties.conftest import png_bytes
from tests.properties.factories import PropertyFactory

CLOSED_ALL_DAY = {
    f"closes_{day}": None
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
KEPT = (
    "async (paths) => { const cache = await caches.open('trygghet-pages');"
    " const kept = (await cache.keys()).map((r) => new URL(r.url).pathname);"
    " return paths.every((p) => kept.includes(p)); }"
)


def wait_until_kept(page, *paths):
    """The service worker controls the page and has kept these pages for offline use (it
    fetches them in the background after the page has loaded)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    for _ in range(100):
        if page.evaluate(KEPT, list(paths)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not kept for offline use: {paths}")


def saved(page, click):
    """The moment around the tap on Save, as (just before, just after)."""
    before = timezone.now()
    click()
    page.wait_for_load_state()
    return before, timezone.now()


def minute(moment):
    return moment.replace(second=0, microsecond=0)


def test_two_observations_and_a_check_saved_offline_arrive_once_with_their_moments(
    new_page, persona, department
):
    host = persona("host")
    building = PropertyFactory(name="Bäckby sporthall", department=department, **CLOSED_ALL_DAY)
    make_shift(hosts=[host], start=timezone.now() + timedelta(minutes=30), hours=6)
    page = new_page(color_scheme="dark")
    sign_in(page, host.username)
    page.get_by_role("button", name="Starta passet").click()
    expect(page.get_by_text("Passet har startat")).to_be_visible()
    categories = page.locator(".quicklog-btn")
    first, second = categories.nth(0).inner_text(), categories.nth(1).inner_text()
    # The round is opened once with a network, as a host does at the start of the shift.
    page.get_by_role("link", name="Öppna kvällens rond").click()
    wait_until_kept(page, "/properties/round/", f"/properties/{building.pk}/check/")
    page.goto("/start/")
    wait_until_kept(page, "/start/", "/incidents/new/")

    page.context.set_offline(True)
    categories.nth(0).click()
    expect(page.locator("[data-offline-note]")).to_contain_text("Offline — sparad")
    shoot(page, "offline-quick-log")
    first_saved = saved(page, lambda: page.get_by_role("button", name="Spara").click())
    expect(page.locator("[data-outbox] h2")).to_have_text("1 väntar på att skickas")

    categories.nth(1).click()
    page.get_by_text("Fler uppgifter (valfritt)").click()
    page.get_by_label("Foton").set_input_files(
        {"name": "klotter.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    second_saved = saved(page, lambda: page.get_by_role("button", name="Spara").click())
    expect(page.locator("[data-outbox] h2")).to_have_text("2 väntar på att skickas")

    page.get_by_role("link", name="Öppna kvällens rond").click()
    page.locator("ol.stops").get_by_text("Bäckby sporthall").click()
    page.get_by_role("group", name="Dörrar låsta").get_by_text("Inte i ordning").click()
    page.get_by_label("Vad hittade du?").fill("Dörren till omklädningsrummet stod olåst.")
    page.get_by_text("Låste", exact=True).click()
    check_saved = saved(page, lambda: page.get_by_role("button", name="Spara kontrollen").click())
    outbox = page.locator("[data-outbox]")
    expect(outbox.locator("h2")).to_have_text("3 väntar på att skickas")
    expect(outbox.locator("li")).to_have_count(3)
    expect(outbox).to_contain_text(first)
    expect(outbox).to_contain_text(second)
    expect(outbox).to_contain_text("Fastighetskontroll · Bäckby sporthall")
    shoot(page, "offline-outbox")

    page.reload()
    expect(page.locator("[data-outbox] h2")).to_have_text("3 väntar på att skickas")
    page.go_back()
    expect(page.locator("[data-outbox] h2")).to_have_text("3 väntar på att skickas")
    assert not Incident.objects.exists() and not PropertyCheck.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("[data-outbox]")).to_be_hidden()
    first_row, second_row = Incident.objects.order_by("pk")
    check = PropertyCheck.objects.get()
    deviation = Deviation.objects.get()
    assert [first_row.category.name, second_row.category.name] == [first, second]
    for row, (before, after) in ((first_row, first_saved), (second_row, second_saved)):
        assert minute(before) <= row.occurred_at <= after
    assert second_row.photos.count() == 1
    assert check_saved[0] <= check.checked_at <= check_saved[1]
    assert deviation.found_at == check.checked_at and deviation.description.startswith("Dörren")
    # Nothing else arrived, and a last look with the network finds nothing waiting.
    page.goto("/start/")
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert (Incident.objects.count(), PropertyCheck.objects.count()) == (2, 1)


def test_a_refused_item_stays_with_its_reason_and_signing_out_warns_first(new_page, persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=1), active=True)
    page = new_page(color_scheme="dark")
    sign_in(page, host.username)
    wait_until_kept(page, "/start/", "/incidents/new/")
    page.context.set_offline(True)
    for count in (1, 2):
        page.locator(".quicklog-btn").first.click()
        page.get_by_role("button", name="Spara").click()
        expect(page.locator("[data-outbox] h2")).to_have_text(f"{count} väntar på att skickas")

    # The shift is ended from another phone before this one has a network again.
    shift.state, shift.actual_end = ShiftState.CLOSED, timezone.now()
    shift.save(update_fields=["state", "actual_end"])
    page.context.set_offline(False)
    outbox = page.locator("[data-outbox]")
    expect(outbox.locator(".outbox-reason")).to_have_count(2)
    expect(outbox.locator(".outbox-reason").first).to_contain_text("Du har inget aktivt pass")
    page.reload()
    expect(outbox.locator("h2")).to_have_text("2 väntar på att skickas")
    shoot(page, "offline-refused")

    # Opened to fix: the form as it was saved, under the server's reason.
    outbox.get_by_role("link", name="Öppna och rätta").first.click()
    expect(page.locator("form .message-error")).to_contain_text(
        "Inte skickad: Du har inget aktivt pass"
    )
    expect(page.locator("form.quicklog-form")).to_be_visible()
    page.go_back()

    page.once("dialog", lambda dialog: dialog.accept())
    outbox.get_by_role("button", name="Ta bort").first.click()
    expect(outbox.locator("h2")).to_have_text("1 väntar på att skickas")
    assert not Incident.objects.exists()

    warnings = []

    def answer(dialog, accept):
        warnings.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.locator("details.account summary").click()
    page.get_by_role("button", name="Logga ut").click()
    expect(outbox.locator("h2")).to_have_text("1 väntar på att skickas")
    assert "1 som inte har skickats" in warnings[0]

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Logga ut").click()
    expect(page.locator("input[name=username]")).to_be_visible()
    # Nothing of the host's is left on the phone: no page (the shared scripts and styles may be).
    assert not page.evaluate(KEPT, ["/start/"]) and not page.evaluate(KEPT, ["/incidents/new/"])
    assert (
        page.evaluate(
            "new Promise((done) => { const open = indexedDB.open('trygghet-outbox', 1);"
            " open.onsuccess = () => open.result.transaction('items').objectStore('items')"
            ".count().onsuccess = (e) => done(e.target.result); })"
        )
        == 0
    )
