import json
import re

import pytest
from django.test import Client
from django.urls import reverse


def test_pages_are_swedish_by_default(client, db):
    assert 'lang="sv"' in client.get("/accounts/login/").content.decode()


def test_language_switch_to_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page
    client.post(reverse("set_language"), {"language": "sv", "next": "/accounts/login/"})
    assert "Logga in" in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("theme", ["dark", "light", "auto"])
def test_theme_choice_is_remembered(client, db, theme):
    response = client.post(reverse("set-theme"), {"theme": theme, "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert f'data-theme="{theme}"' in client.get("/accounts/login/").content.decode()


def test_theme_ignores_unknown_values_and_foreign_redirects(client, db):
    response = client.post(reverse("set-theme"), {"theme": "neon", "next": "https://evil.example/"})
    assert response.url == "/"
    assert "theme" not in response.cookies


def test_menu_shows_only_what_the_role_may_use(client_as):
    page = client_as("owner").get("/start/").content.decode()
    assert "Administration" not in page


def test_404_page_is_swedish_and_in_the_layout(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan hittades inte" in page
    assert "Trygghet" in page


def test_403_page_is_swedish(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/start/")
    assert response.status_code == 403
    assert "Du har inte tillgång" in response.content.decode()


def test_500_page_renders_without_request_context(db):
    from django.views.defaults import server_error

    response = server_error(Client().request().wsgi_request)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "tile.openstreetmap.org" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_swedish_even_when_the_browser_asks_for_english(client, db):
    page = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="sv"' in page.content.decode()


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/icon.svg")


def test_maps_and_their_csp_follow_the_tile_settings(client, db, settings):
    settings.MAP_TILE_URL = "https://kartor.kommun.se/wmts/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Lantmäteriet"
    settings.MAP_TILE_MAX_ZOOM = 17
    response = client.get("/")
    assert (
        "img-src 'self' data: blob: https://kartor.kommun.se;"
        in response["Content-Security-Policy"]
    )
    assert "openstreetmap" not in response["Content-Security-Policy"]
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', response.text)[1])
    assert config["tiles"] == settings.MAP_TILE_URL
    assert (config["attribution"], config["maxZoom"]) == ("© Lantmäteriet", 17)


def test_the_brand_leads_a_signed_in_user_to_the_start_page_without_a_redirect(client, client_as):
    brand = '<a class="brand" href="{}">'
    assert brand.format("/") in client.get("/accounts/login/").content.decode()
    assert brand.format("/start/") in client_as("host").get("/start/").content.decode()


def test_a_page_waits_only_for_its_largest_script_first_and_not_for_small_helpers(client_as):
    page = client_as("host").get("/start/").content.decode()
    head = page[: page.index("</head>")]
    # Asked for from the head, before the page's own files queue for the connections.
    assert re.search(r'<script src="[^"]*htmx\.min[^"]*\.js" defer>', head)
    assert re.search(r'<script src="[^"]*js/app[^"]*\.js" async>', page)
    assert re.search(r'<script src="[^"]*js/pwa[^"]*\.js" async', page)


def test_the_host_start_page_asks_for_no_stylesheet_its_panels_do_not_use(client_as):
    page = client_as("host").get("/start/").content.decode()
    assert "Kvällens rond" in page
    assert "css/properties" not in page
