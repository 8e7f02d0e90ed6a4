"""`make phone`: the host's pages on a weak mobile link, as the production server serves them.

Headless Chromium opens each page the host uses during a shift with a cold cache, its network
throttled by the DevTools protocol to PHONE_LATENCY_MS round trip (default 400) and PHONE_KBITS
both ways (default 400), as at the edge of town. For each page it reports the bytes transferred
(compressed, as they crossed the link: the sum of every response's encoded length) and when the
page was usable (DOMContentLoaded). The budget is 60 KB and 2 s a page.

The server is gunicorn with production settings (compressed static files, DEBUG off) on a
database of its own with the demo data (bench/out/phone-postgres), and a host of its own on a
running shift. It prints the figures and appends them to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Server  # noqa: E402
from run import OUT, RESULTS, machine, manage, say  # noqa: E402

from trygghet import database  # noqa: E402

DATA_DIR = OUT / "phone-postgres"
NAME = "trygghet_phone"
HOST, PASSWORD = "bench-host", "bench-host-password"
LATENCY_MS = int(os.environ.get("PHONE_LATENCY_MS", "400"))
KBITS = int(os.environ.get("PHONE_KBITS", "400"))
BUDGET_BYTES, BUDGET_SECONDS = 60 * 1024, 2.0
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A host on a running shift, with the first building of the register to check.
SETUP = f"""
from datetime import timedelta
from django.contrib.auth.models import Group
from django.utils import timezone
from patrols.services import shift_plan, shift_start
from properties.models import Property
from trygghet.accounts.models import User
from trygghet.accounts.roles import GROUP_NAMES, Role
host = User.objects.create_user({HOST!r}, password={PASSWORD!r}, first_name="Bench")
host.groups.add(Group.objects.get(name=GROUP_NAMES[Role.HOST]))
now = timezone.now()
shift = shift_plan(planned_start=now - timedelta(hours=1), planned_end=now + timedelta(hours=6),
                   hosts=[host])
shift_start(shift=shift, by=host, vehicle=None, phone_line=None)
print(Property.objects.filter(active=True).order_by("pk").first().pk)
"""


def pages(building: int) -> list[tuple[str, str]]:
    return [
        ("start page", "/start/"),
        ("quick log: graffiti", "/incidents/new/?category=graffiti"),
        ("citizen contact", "/citizen-contacts/new/"),
        ("night button", "/night-button/"),
        ("tonight's round", "/properties/round/"),
        ("property check", f"/properties/{building}/check/"),
    ]


def prepare() -> tuple[str, int]:
    admin = database.start(data_dir=DATA_DIR, name="postgres", keep_running=True)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    url = database.start(data_dir=DATA_DIR, name=NAME, keep_running=True)
    say("phone: migrating and loading the demo data")
    manage(url, "migrate", "--noinput")
    manage(url, "collectstatic", "--noinput")
    manage(url, "demo_data", demo=True)
    building = int(manage(url, "shell", "-c", SETUP).strip().splitlines()[-1])
    return url, building


def remember_url(urls: dict, event: dict) -> None:
    urls[event["requestId"]] = event["response"]["url"]


def remember_size(sizes: dict, event: dict) -> None:
    sizes[event["requestId"]] = event["encodedDataLength"]


def measure(port: int, building: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        signed_in = browser.new_context(base_url=base)
        page = signed_in.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", HOST)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_load_state("load")
        state = signed_in.storage_state()
        signed_in.close()
        for name, path in pages(building):
            # A new context per page: nothing cached, as on the first visit of the night.
            context = browser.new_context(
                base_url=base, storage_state=state, viewport={"width": 390, "height": 844}
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
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
            transferred: dict[str, int] = {}
            urls: dict[str, str] = {}
            cdp.on("Network.responseReceived", partial(remember_url, urls))
            cdp.on("Network.loadingFinished", partial(remember_size, transferred))
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status == 200, (path, response)
            page.wait_for_timeout(200)
            timing = page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return {dcl: n.domContentLoadedEventEnd}; })()"
            )
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "bytes": sum(transferred.values()),
                    "requests": len(transferred),
                    "usable": timing["dcl"] / 1000,
                    "html_encoding": response.headers.get("content-encoding", "none"),
                    "largest": sorted(
                        ((size, urls.get(key, "?")) for key, size in transferred.items()),
                        reverse=True,
                    )[:5],
                }
            )
            context.close()
        browser.close()
    return rows


def report(rows: list[dict]) -> str:
    lines = [
        f"\n## Host pages on a weak link ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n",
        f"`make phone` ({LATENCY_MS} ms round trip, {KBITS} kbit/s, cold cache, production "
        f"server, 390×844). Machine: {machine()}.\n",
        "| page | transferred | requests | usable (DOMContentLoaded) | HTML | within budget |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        within = row["bytes"] <= BUDGET_BYTES and row["usable"] <= BUDGET_SECONDS
        lines.append(
            f"| {row['page']} | {row['bytes'] / 1024:.1f} KB | {row['requests']} | "
            f"{row['usable']:.2f} s | {row['html_encoding']} | {'yes' if within else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    url, building = prepare()
    server = Server("gunicorn-4", url)
    try:
        rows = measure(server.port, building)
    finally:
        server.stop()
        database.stop(data_dir=DATA_DIR)
    text = report(rows)
    print(text)  # noqa: T201
    for row in rows:
        say(f"{row['page']}: " + ", ".join(f"{url} {size} B" for size, url in row["largest"]))
    with RESULTS.open("a") as results:
        results.write(text)


if __name__ == "__main__":
    main()
