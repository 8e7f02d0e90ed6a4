"""Headless Chromium (Debian's, driven by Playwright) against the live test server.

`new_page()` opens a phone-sized page signed in as nobody (`also_reach=(url,)` lets it reach
another server on this machine, such as an identity provider); `sign_in(page, user)` signs in
through the form; `shoot(page, name)` saves full-page screenshots at 390 px and 1280 px under
test-results/screenshots/. Console errors fail the test. Requests that would leave the machine
(map tiles) get a blank tile, so the pages are tested as they work without a tile server.
"""

import base64
import os
import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.accounts.factories import PASSWORD
from tests.push.conftest import push_service, vapid  # noqa: F401  (a push service on 127.0.0.1)
from tests.worker import forget_jobs

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def require_chromium(path: str = CHROMIUM) -> None:
    """A missing browser fails the test: a skip would let the suite pass with no page driven."""
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is missing: `make chromium` installs it")


@pytest.fixture
def new_page(live_server, django_db_serialized_rollback):
    """Playwright starts per test, after the database is set up: while it runs, an event loop
    runs in this thread and Django hands out other connection objects, which do not carry the
    test database's serialized contents that restore the migrations' data between tests.

    Each test starts with an empty job queue: the flush between these tests leaves procrastinate's
    tables alone, so a job another test's server deferred would otherwise run in this one."""
    require_chromium()
    forget_jobs()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def make(viewport=PHONE, *, unreachable: str = "", also_reach=(), **options):
            """`unreachable`: requests to this address go out and fail, as they do to a server
            that is down; the browser's notes that they failed are not the page's errors.
            `also_reach`: other servers the page may really reach (a test's identity provider)."""
            context = browser.new_context(
                viewport=viewport,
                base_url=live_server.url,
                locale="sv-SE",
                timezone_id="Europe/Stockholm",
                **options,
            )
            reached = (live_server.url, *also_reach, *([unreachable] if unreachable else []))
            context.route(
                lambda url: not url.startswith(reached),
                lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
            )

            def console(message):
                failed = unreachable and message.location["url"].startswith(unreachable)
                if message.type == "error" and not failed:
                    errors.append(message.text)

            page = context.new_page()
            page.on("console", console)
            page.on("pageerror", lambda error: errors.append(str(error)))
            return page

        yield make
        browser.close()
        # Close the connections opened in this event-loop context, or the test database
        # cannot be dropped at the end of the run.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    assert errors == [], "browser console errors"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("networkidle")


def shoot(page, name: str) -> list[Path]:
    """Full-page screenshots at phone and desk width; fails when the page is wider than the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for viewport in (PHONE, DESK):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
        if viewport is PHONE:
            wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
            assert not wider, f"{name} is wider than a {PHONE['width']} px phone"
        path = SHOTS / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(PHONE)
    return paths


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a computed CSS colour (`rgb(r, g, b)` or `rgba(…)`)."""
    red, green, blue = (int(value) / 255 for value in re.findall(r"[\d.]+", colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def assert_drawn_dark(page, *selectors: str) -> None:
    """The page is drawn dark: the body and the first of each selector have a dark background
    under light text, with at least WCAG AA contrast."""
    for selector in ("body", *selectors):
        background, text = page.locator(selector).first.evaluate(
            "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
        )
        dark, light = luminance(background), luminance(text)
        contrast = (light + 0.05) / (dark + 0.05)
        assert dark < 0.05 and contrast >= 4.5, f"{selector}: {text} on {background}"
