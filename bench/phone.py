"""`make phone`: the host's pages on a weak mobile link, as the production server serves them.

Headless Chromium opens each page the host uses during a shift with a cold cache, its network
throttled by the DevTools protocol to PHONE_LATENCY_MS round trip (default 400) and PHONE_KBITS
both ways (default 400), as at the edge of town. For each page it reports the bytes transferred
(compressed, as they crossed the link: the sum of every response's encoded length), when the
page was usable (DOMContentLoaded) and when it was first painted. The budget is 60 KB and 2 s a
page. It also fetches the incident list's map data twice (the second visit revalidates), and
times an observation from the start page: the taps and the seconds until it is saved.

The server is gunicorn with production settings (compressed static files, DEBUG off) on a
database of its own with the demo data (bench/out/phone-postgres), warmed up before measuring,
and hosts of their own on running shifts. It prints the figures, then each page's requests
(when they started and ended: what the page waited for), and appends the figures to
bench/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Server  # noqa: E402
from run import OUT, RESULTS, machine, manage, say  # noqa: E402

from trygghet import database  # noqa: E402
from trygghet.core.demodata import DEFAULT_PASSWORD as DEMO_PASSWORD  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import StorageState

DATA_DIR = OUT / "phone-postgres"
NAME = "trygghet_phone"
PASSWORD = "bench-host-password"
# Two hosts on running shifts: one whose car has nothing to do, one whose car has a call-out.
HOST, CALLED = "bench-host", "bench-host-called"
CHIEF = "chef"
LATENCY_MS = int(os.environ.get("PHONE_LATENCY_MS", "400"))
KBITS = int(os.environ.get("PHONE_KBITS", "400"))
BUDGET_BYTES, BUDGET_SECONDS = 60 * 1024, 2.0
# Inside the demo's Centrum: where the phone says it is when a host logs an observation.
HERE = {"latitude": 59.6111, "longitude": 16.5411}
OBSERVATION_ROUNDS = 3
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The hosts' shifts, the call-out sent to the second host's car, an incident of the first host's
# (for the call for help) and the first building of the register to check; prints their ids.
SETUP = f"""
import json
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth.models import Group
from django.utils import timezone
from incidents.models import Category
from incidents.services import incident_create
from patrols.models import Vehicle
from patrols.services import shift_plan, shift_start
from properties.models import Property
from trygghet.accounts.models import User
from trygghet.accounts.roles import GROUP_NAMES, Role
from trygghet.dispatch.models import Source
from trygghet.dispatch.services import dispatch_request_create
now = timezone.now()
shifts = {{}}
for username, car in (({HOST!r}, None), ({CALLED!r}, "BEN 001")):
    host = User.objects.create_user(username, password={PASSWORD!r}, first_name="Bench")
    host.groups.add(Group.objects.get(name=GROUP_NAMES[Role.HOST]))
    vehicle = car and Vehicle.objects.create(registration=car, name="Bench")
    shift = shift_plan(planned_start=now - timedelta(hours=1), planned_end=now + timedelta(hours=6),
                       hosts=[host])
    shifts[username] = shift_start(shift=shift, by=host, vehicle=vehicle, phone_line=None)
call_out, _ = dispatch_request_create(
    by=User.objects.get(username={CHIEF!r}), what="Stökigt gäng vid busshållplatsen",
    source=Source.PARTNER, priority=1, latitude={HERE["latitude"]}, longitude={HERE["longitude"]},
    place_text="Stortorget", shift=shifts[{CALLED!r}],
)
incident, _ = incident_create(by=User.objects.get(username={HOST!r}),
                              category=Category.objects.get(code="graffiti"),
                              latitude=Decimal("{HERE["latitude"]}"),
                              longitude=Decimal("{HERE["longitude"]}"))
building = Property.objects.filter(active=True).order_by("pk").first()
print(json.dumps({{"call_out": call_out.pk, "incident": incident.pk, "building": building.pk}}))
"""

# When each request of the page started and ended (ms after navigation began), and its bytes:
# what DOMContentLoaded waited for.
WATERFALL = """(() => {
  const n = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const row = e => [e.startTime, e.responseEnd, e.encodedBodySize, e.name.replace(location.origin, '')];
  return {dcl: n.domContentLoadedEventEnd, paint: paint ? paint.startTime : null,
          resources: [row(n), ...performance.getEntriesByType('resource').map(row)]};
})()"""


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, path, who): every page a host opens during a shift. Tonight's areas and the
    car's call-outs are panels of the start page."""
    return [
        ("start page", "/start/", HOST),
        ("start page, call-out running", "/start/", CALLED),
        ("call-out: map and history", f"/dispatch/{ids['call_out']}/", CALLED),
        ("quick log: graffiti", "/incidents/new/?category=graffiti", HOST),
        ("the incident, call buttons", f"/incidents/{ids['incident']}/", HOST),
        ("call for help", f"/incidents/{ids['incident']}/calls-for-help/new/", HOST),
        ("citizen contact", "/citizen-contacts/new/", HOST),
        ("night button", "/night-button/", HOST),
        ("tonight's round", "/properties/round/", HOST),
        ("property check", f"/properties/{ids['building']}/check/", HOST),
        ("my shifts", "/patrols/my-shifts/", HOST),
    ]


def prepare() -> tuple[str, dict]:
    admin = database.start(data_dir=DATA_DIR, name="postgres", keep_running=True)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    url = database.start(data_dir=DATA_DIR, name=NAME, keep_running=True)
    say("phone: migrating and loading the demo data")
    manage(url, "migrate", "--noinput")
    manage(url, "collectstatic", "--noinput")
    manage(url, "demo_data", demo=True)
    ids = json.loads(manage(url, "shell", "-c", SETUP).strip().splitlines()[-1])
    return url, ids


def remember_size(sizes: dict, event: dict) -> None:
    sizes[event["requestId"]] = event["encodedDataLength"]


def remember_response(responses: dict, event: dict) -> None:
    responses[event["requestId"]] = event["response"]


def sign_in(browser, base: str, username: str, password: str) -> StorageState:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("load")
    state = context.storage_state()
    context.close()
    return state


class Phone:
    """A fresh browser context (nothing cached, as on the first visit of the night) at 390×844
    on the throttled link, counting the bytes of every response as they crossed the link."""

    def __init__(self, browser, base: str, state: StorageState, *, cache: bool = False, **options):
        self.context = browser.new_context(
            base_url=base, storage_state=state, viewport={"width": 390, "height": 844}, **options
        )
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
        rate = KBITS * 1000 / 8
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )
        self.transferred: dict[str, int] = {}
        self.responses: dict[str, dict] = {}
        cdp.on("Network.loadingFinished", partial(remember_size, self.transferred))
        cdp.on("Network.responseReceived", partial(remember_response, self.responses))

    def close(self) -> None:
        self.context.close()


def measure_page(browser, base: str, state: StorageState, name: str, path: str) -> dict:
    phone = Phone(browser, base, state)
    response = phone.page.goto(path, wait_until="load")
    assert response is not None and response.status == 200, (path, response)
    phone.page.wait_for_timeout(200)
    timing = phone.page.evaluate(WATERFALL)
    phone.close()
    return {
        "page": name,
        "path": path,
        "bytes": sum(phone.transferred.values()),
        "requests": len(phone.transferred),
        "usable": timing["dcl"] / 1000,
        "paint": (timing["paint"] or 0) / 1000,
        "html_encoding": response.headers.get("content-encoding", "none"),
        "waterfall": timing["resources"],
    }


def measure_map_data(browser, base: str, state: StorageState) -> dict:
    """The incident list's map data as the chief's phone gets it: on the first visit, and on the
    next, when the browser revalidates its copy."""
    phone = Phone(browser, base, state, cache=True)
    visits = []
    for _visit in range(2):
        phone.transferred.clear()
        phone.responses.clear()
        phone.page.goto("/incidents/", wait_until="load")
        phone.page.wait_for_load_state("networkidle")
        key = next(k for k, r in phone.responses.items() if "/incidents/map/" in r["url"])
        response = phone.responses[key]
        visits.append((response["status"], phone.transferred.get(key, 0), response["headers"]))
    note = phone.page.locator("#incident-map-note")
    shown = note.inner_text() if note.is_visible() else ""
    data = phone.page.evaluate(
        "fetch(document.getElementById('incident-map').dataset.url).then(r => r.text())"
    )
    phone.close()
    (status, size, headers), (_status, again_size, _headers) = visits
    return {
        "status": status,
        "bytes": size,
        "json_bytes": len(data.encode()),
        "points": len(json.loads(data)["features"]),
        "encoding": headers.get("content-encoding", headers.get("Content-Encoding", "none")),
        "etag": bool(headers.get("etag") or headers.get("ETag")),
        "again_bytes": again_size,
        "note": shown,
    }


def measure_observation(browser, base: str, state: StorageState) -> dict:
    """From the start page, open on the phone: tap the first quick-log button, tap Save, and
    wait for the saved confirmation on the start page. Every tap is counted."""
    phone = Phone(browser, base, state, cache=True, geolocation=HERE, permissions=["geolocation"])
    page = phone.page
    page.goto("/start/", wait_until="load")
    taps = 0
    started = time.monotonic()
    page.locator(".quicklog-btn").first.click()
    taps += 1
    page.get_by_role("button", name="Spara").click()
    taps += 1
    page.locator(".messages").filter(has_text="sparad").wait_for()
    seconds = time.monotonic() - started
    phone.close()
    return {"taps": taps, "seconds": seconds}


def measure(port: int, ids: dict) -> tuple[list[dict], dict, list[dict]]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        states = {
            HOST: sign_in(browser, base, HOST, PASSWORD),
            CALLED: sign_in(browser, base, CALLED, PASSWORD),
            CHIEF: sign_in(browser, base, CHIEF, DEMO_PASSWORD),
        }
        # The server's first answers are slow (each worker loads its templates and opens its
        # database connection): they are not what the phone meets on a server that has been up.
        warm = browser.new_context(base_url=base, storage_state=states[HOST])
        for _round in range(4):
            for _name, path, _who in pages(ids):
                warm.request.get(path)
        warm.close()
        rows = [
            measure_page(browser, base, states[who], name, path) for name, path, who in pages(ids)
        ]
        map_data = measure_map_data(browser, base, states[CHIEF])
        observations = [
            measure_observation(browser, base, states[HOST]) for _round in range(OBSERVATION_ROUNDS)
        ]
        browser.close()
    return rows, map_data, observations


def report(rows: list[dict], map_data: dict, observations: list[dict]) -> str:
    lines = [
        f"\n## Host pages on a weak link ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n",
        f"`make phone` ({LATENCY_MS} ms round trip, {KBITS} kbit/s, cold cache, production "
        f"server, 390×844). Machine: {machine()}; load average "
        f"{' '.join(f'{load:.1f}' for load in os.getloadavg())} at the end.\n",
        "| page | transferred | requests | usable (DOMContentLoaded) | first paint | HTML "
        "| within budget |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        within = row["bytes"] <= BUDGET_BYTES and row["usable"] <= BUDGET_SECONDS
        lines.append(
            f"| {row['page']} | {row['bytes'] / 1024:.1f} KB | {row['requests']} | "
            f"{row['usable']:.2f} s | {row['paint']:.2f} s | {row['html_encoding']} | "
            f"{'yes' if within else 'no'} |"
        )
    lines += [
        "",
        f"Incident list's map data (the chief, demo data): {map_data['bytes'] / 1024:.1f} KB "
        f"transferred ({map_data['encoding']}; {map_data['json_bytes'] / 1024:.1f} KB of JSON, "
        f"{map_data['points']} points{', ETag' if map_data['etag'] else ''}); "
        f"the next visit (revalidated): {map_data['again_bytes']} B. "
        f"Note under the map: {map_data['note'] or '(none: every point drawn)'}",
        "",
        "An observation from the start page (first quick-log button, then Save, until the saved "
        f"confirmation shows; {OBSERVATION_ROUNDS} rounds, assets cached by the start page): "
        + "; ".join(f"{o['taps']} taps, {o['seconds']:.2f} s" for o in observations)
        + f" (median {statistics.median(o['seconds'] for o in observations):.2f} s).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    url, ids = prepare()
    server = Server("gunicorn-4", url)
    try:
        rows, map_data, observations = measure(server.port, ids)
    finally:
        server.stop()
        database.stop(data_dir=DATA_DIR)
    text = report(rows, map_data, observations)
    print(text)  # noqa: T201
    for row in rows:
        say(f"{row['page']} ({row['path']}): DOMContentLoaded at {row['usable'] * 1000:.0f} ms")
        for start, end, size, url in row["waterfall"]:
            say(f"  {start:5.0f}–{end:5.0f} ms {size:6d} B {url}")
    with RESULTS.open("a") as results:
        results.write(text)


if __name__ == "__main__":
    main()
