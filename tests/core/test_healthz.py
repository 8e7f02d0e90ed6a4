from unittest import mock

from django.db import OperationalError


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_503_without_database(client, db):
    with mock.patch("trygghet.core.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
