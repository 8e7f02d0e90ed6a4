import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_drawn_dark, shoot, sign_in


def test_host_signs_in_on_a_phone_and_sees_the_start_page(new_page, persona):
    host = persona("host")
    page = new_page()
    page.goto("/accounts/login/")
    shoot(page, "login")
    sign_in(page, host.username)
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(host.first_name)
    shoot(page, "start-host")


def test_dark_theme_is_remembered(new_page, persona):
    page = new_page()
    sign_in(page, persona("chief").username)
    page.locator("details.account summary").click()
    page.get_by_role("button", name="Mörkt").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    # The phone asks for light; the choice wins.
    assert not page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert_drawn_dark(page, ".card", "details.account summary")
    shoot(page, "start-chief-dark")


def test_a_host_signs_out_a_forgotten_phone_from_the_sessions_page(new_page, persona):
    host = persona("host")
    forgotten = new_page()
    sign_in(forgotten, host.username)
    page = new_page(viewport=PHONE)
    sign_in(page, host.username)
    page.locator("details.account summary").click()
    page.get_by_role("link", name="Dina sessioner").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Den här sessionen")).to_have_count(1)
    shoot(page, "sessions")
    page.locator("table form button").click()
    expect(page.locator(".messages")).to_contain_text("Sessionen loggades ut")
    expect(rows).to_have_count(1)
    forgotten.goto("/start/")
    expect(forgotten).to_have_url(re.compile(r"/accounts/login/"))
