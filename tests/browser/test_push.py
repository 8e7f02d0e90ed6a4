"""A call-out rings the host's phone with the Trygghet page closed: the host turns
notifications on from the start page, closes it, the chief sends the car, the worker's job
posts the push request to the push service (tests/push/service.py), the phone's service worker
shows the notification, and its click opens the call-out.

Two parts of a phone are played by the test, as nothing else can here. Playwright's browser
contexts are incognito, where Chromium has no Push API, and its vendor's push service is on the
internet: the page's PushManager hands out a subscription on the local push service instead,
with keys the test made. And nothing can click a notification in headless Chromium: the test
dispatches the click to the service worker, where opening a window needs a real click, so the
window it asks for is opened by the test, as the browser would."""

import json
import logging
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot, sign_in
from tests.dispatch.factories import make_request
from tests.jobs import run_queued_jobs
from tests.patrols.factories import AreaFactory, VehicleFactory, make_shift
from tests.worker import forget_jobs

CENTRUM = {
    "type": "Polygon",
    "coordinates": [
        [[16.53, 59.60], [16.55, 59.60], [16.55, 59.62], [16.53, 59.62], [16.53, 59.60]]
    ],
}
# The browser's side of the subscription: what PushManager.subscribe() gives, on the local
# push service; the key the page subscribed with is kept for the test to check.
FAKE_PUSH_MANAGER = """
(() => {
  const given = %s;
  let current = null;
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.subscribedWithKey = btoa(String.fromCharCode(...key))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    current = {
      endpoint: given.endpoint,
      toJSON: () => ({ endpoint: given.endpoint, expirationTime: null, keys: given.keys }),
      unsubscribe: () => { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = () => Promise.resolve(current);
})();
"""
NOTIFICATIONS = "self.registration.getNotifications().then((shown) => shown.map((n) => "
NOTIFICATIONS += "({ title: n.title, body: n.body, url: n.data.url, tag: n.tag })))"
# The tap, as the service worker gets it; the window it opens is noted (see above).
CLICK = """async () => {
  const [notification] = await self.registration.getNotifications();
  const opened = new Promise((resolve) => {
    self.clients.openWindow = (url) => { resolve(url); return Promise.resolve(null); };
  });
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
  return opened;
}"""


@pytest.fixture(autouse=True)
def _empty_queue():
    forget_jobs()  # the jobs this test commits must not run in another's
    yield
    forget_jobs()


def registration_id(page, cdp, origin: str) -> str:
    """The service worker's registration, as DevTools names it (the events come after enable)."""
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    ours: list[dict] = []
    for _wait in range(100):
        ours = [r for r in found if r["scopeURL"] == f"{origin}/" and not r["isDeleted"]]
        if ours:
            break
        page.wait_for_timeout(50)
    [registration] = ours
    return registration["registrationId"]


def test_a_call_out_rings_the_phone_with_the_page_closed(
    new_page, persona, live_server, vapid, push_service
):
    host = persona("host")
    AreaFactory(name="Centrum", boundary=CENTRUM)
    car = make_shift(hosts=[host], active=True, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    phone = push_service.phone()

    page = new_page()
    context = page.context
    context.grant_permissions(["notifications"], origin=live_server.url)
    given = {"endpoint": phone.endpoint, "keys": {"p256dh": phone.p256dh, "auth": phone.auth}}
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(given))
    sign_in(page, host.username)
    shoot(page, "push-off")

    # One tap turns notifications on; the page says so. "Stäng av" turns them off.
    turn_on = page.get_by_role("button", name="Larma den här telefonen vid utryckningar")
    turn_on.click()
    expect(page.locator("[data-push-off]")).to_be_visible()
    expect(page.locator("[data-push-off]")).to_contain_text("Notiser på")
    assert page.evaluate("window.subscribedWithKey") == vapid
    assert host.push_subscriptions.get().endpoint == phone.endpoint
    shoot(page, "push-on")
    page.get_by_role("button", name="Stäng av").click()
    expect(turn_on).to_be_visible()
    assert not host.push_subscriptions.exists()
    turn_on.click()
    expect(page.locator("[data-push-off]")).to_be_visible()
    assert host.push_subscriptions.get().endpoint == phone.endpoint

    # The page is closed; another site's tab is open (the DevTools session needs a page).
    other = context.new_page()
    page.close()
    cdp = context.new_cdp_session(other)
    registration = registration_id(other, cdp, live_server.url)

    dispatched = time.monotonic()
    request = make_request(
        by=persona("chief"), what="Birgitta Lindqvist känner sig hotad", priority=1, shift=car
    )
    run_queued_jobs()
    [received] = push_service.to(phone)
    sent = time.monotonic()
    # The phone's browser decrypts the message and hands it to the service worker.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "data": json.dumps(phone.decrypt(received)),
        },
    )
    worker = context.service_workers[-1]
    shown = []
    while not shown and time.monotonic() - dispatched < 10:
        shown = worker.evaluate(NOTIFICATIONS)
    rang = time.monotonic()

    assert shown == [
        {
            "title": "Utryckning: Hög — Centrum",
            "body": "Skickad till er bil. Öppna för att se vad och var.",
            "url": f"{live_server.url}/dispatch/{request.pk}/",
            "tag": f"dispatch-{request.pk}",
        }
    ]
    assert rang - dispatched <= 5, f"{rang - dispatched:.2f} s from dispatch to the notification"
    logging.getLogger(__name__).info(
        "dispatch → push request %.3f s, → notification shown %.3f s",
        sent - dispatched,
        rang - dispatched,
    )

    # The tap opens the call-out, which shows its details after sign-in.
    url = worker.evaluate(CLICK)
    assert url == f"{live_server.url}/dispatch/{request.pk}/"
    assert worker.evaluate(NOTIFICATIONS) == []
    task = context.new_page()
    task.goto(url)
    expect(task.locator("main")).to_contain_text("Birgitta Lindqvist känner sig hotad")
