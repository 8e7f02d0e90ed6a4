import struct

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_service_worker_may_cover_every_host_page(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "private, no-cache"
    assert b"importScripts(" in response.content


@pytest.mark.parametrize("role", ["host", "chief", "partner", "anonymous"])
def test_only_hosts_pages_install_the_service_worker(client_as, role):
    page = client_as(role).get(reverse("home"), follow=True).content

    assert (reverse("service-worker").encode() in page) is (role == "host")


def test_the_manifest_installs_the_hosts_start_page_full_screen_in_dark_colours(client):
    response = client.get(reverse("manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Trygghet" and manifest["lang"] == "sv"
    assert (manifest["start_url"], manifest["scope"]) == (reverse("start"), "/")
    assert manifest["display"] == "standalone"
    assert manifest["background_color"] == "#0c1015" and manifest["theme_color"] == "#151b22"
    assert manifest["description"].startswith("Trygghetsvärdarnas pass")


def test_the_manifests_icons_are_pngs_of_their_stated_size(client):
    icons = client.get(reverse("manifest")).json()["icons"]

    assert {(icon["sizes"], icon.get("purpose", "any")) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        served = b"".join(client.get(icon["src"]).streaming_content)
        width, height = struct.unpack(">II", served[16:24])
        assert served.startswith(b"\x89PNG") and f"{width}x{height}" == icon["sizes"]


@pytest.mark.parametrize("role", ["host", "chief", "partner", "anonymous"])
def test_only_hosts_pages_link_the_manifest_and_the_outbox(client_as, role):
    page = client_as(role).get(reverse("home"), follow=True).content.decode()

    assert ('rel="manifest"' in page) is (role == "host")
    assert ('name="theme-color"' in page) is (role == "host")
    assert ("js/outbox.js" in page) is (role == "host")
    assert ('id="offline-texts"' in page) is (role == "host")
