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
