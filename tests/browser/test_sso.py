"""Signing in through the municipality's identity provider in a browser: the provider's own
sign-in page (oidc-provider-mock on 127.0.0.1), the way back, the start page of the role the
provider's groups give, and signing out at the provider too."""

import re

from playwright.sync_api import expect

from tests.accounts.provider import set_claims
from tests.browser.conftest import shoot
from tests.conftest import CHIEFS, HOSTS


def sign_in_at_provider(page, subject: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state("networkidle")


def provider_page(new_page, issuer: str):
    page = new_page(also_reach=(issuer,))
    # The provider's page asks a CDN for its style sheet; an empty one keeps the console clean.
    page.context.route(
        re.compile(r"^https://cdn\."),
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    return page


def test_chief_and_host_sign_in_through_the_provider_and_a_new_group_gives_a_new_role(
    new_page, sso
):
    page = provider_page(new_page, sso)
    set_claims(sso, "sub-karin", {"given_name": "Karin", "groups": [CHIEFS]})
    page.goto("/accounts/login/")
    shoot(page, "login-sso")
    sign_in_at_provider(page, "sub-karin")
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karin")
    expect(page.locator(".page-header").first).to_contain_text("Säkerhetschef")

    # Signing out goes through the provider's end of the session and back to the sign-in page.
    page.locator("details.account summary").click()
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    set_claims(sso, "sub-ahmed", {"given_name": "Ahmed", "groups": [HOSTS]})
    sign_in_at_provider(page, "sub-ahmed")
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.locator(".page-header").first).to_contain_text("Trygghetsvärd")
    shoot(page, "start-host-sso")

    # IT moves Ahmed to the chiefs' group: the next sign-in makes him a chief.
    set_claims(sso, "sub-ahmed", {"given_name": "Ahmed", "groups": [CHIEFS]})
    page.context.clear_cookies()
    sign_in_at_provider(page, "sub-ahmed")
    expect(page.locator(".page-header").first).to_contain_text("Säkerhetschef")
