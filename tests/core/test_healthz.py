"""/healthz answers the load balancer: over plain HTTP and by the server's address under
production settings, where every other request still meets the HTTPS redirect and the host
check."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

SERVER_ADDRESS = "10.20.30.40"


@pytest.fixture
def production(settings, db):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["trygghet.example.se"]
    settings.SECURE_SSL_REDIRECT = True
    return Client(raise_request_exception=False)


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_healthz_is_503_without_database(client, db):
    with mock.patch("trygghet.core.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}
    assert response["Retry-After"]


def test_the_load_balancer_asks_over_http_by_the_servers_address(production):
    response = production.get("/healthz", headers={"host": SERVER_ADDRESS})
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_other_paths_by_the_servers_address_are_refused(production):
    assert production.get("/", headers={"host": SERVER_ADDRESS}).status_code == 400
    assert production.get("/healthz/", headers={"host": SERVER_ADDRESS}).status_code == 400


def test_other_paths_over_http_are_redirected_to_https(production):
    response = production.get("/accounts/login/", headers={"host": "trygghet.example.se"})
    assert response.status_code == 301
    assert response["Location"] == "https://trygghet.example.se/accounts/login/"
