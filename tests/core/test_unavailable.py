"""With PostgreSQL unreachable every request is a 503 with Retry-After, and the app recovers
by itself. Here the connection is pointed at a directory where no server listens; the test in
test_database.py stops a real server under a running app."""

import pytest
from django.db import connection
from django.test import Client

from trygghet.core.unavailable import RETRY_AFTER_SECONDS


@pytest.fixture
def database_down(django_db_serialized_rollback, transactional_db, tmp_path):
    """Make every new connection fail, as when the server is stopped; restore on the way out."""
    options = connection.settings_dict["OPTIONS"]
    host = options["host"]

    def down():
        connection.close()
        options["host"] = str(tmp_path)

    def up():
        connection.close()
        options["host"] = host

    try:
        yield down, up
    finally:
        up()


def _signed_in(persona, role):
    # A 500 would be re-raised by the test client; a 503 must come back as a response.
    client = Client(raise_request_exception=False)
    client.force_login(persona(role))
    return client


def assert_unavailable(response, *, json: bool):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    if json:
        assert response["Content-Type"] == "application/json"
        assert "databas" in response.json()["detail"]
    else:
        page = response.content.decode()
        assert 'class="error-page"' in page
        assert "Tillfälligt otillgänglig" in page
        assert "112" in page


def test_every_kind_of_request_is_a_503_while_the_database_is_down(persona, database_down):
    down, up = database_down
    chief = _signed_in(persona, "chief")
    host = _signed_in(persona, "host")
    anonymous = Client(raise_request_exception=False)
    token = Client(
        raise_request_exception=False,
        headers={"authorization": "Token not-checked-without-a-database"},
    )
    down()
    assert_unavailable(chief.get("/lagesbild/"), json=False)
    assert_unavailable(host.get("/start/"), json=False)
    assert_unavailable(host.post("/incidents/new/", {"category": "1"}), json=False)
    assert_unavailable(anonymous.get("/"), json=False)
    signing_in = anonymous.post("/accounts/login/", {"username": "vard1", "password": "x"})
    assert_unavailable(signing_in, json=False)
    assert_unavailable(chief.get("/api/v1/incidents/"), json=True)
    assert_unavailable(token.get("/api/v1/incidents/"), json=True)
    assert_unavailable(
        host.post("/api/v1/incidents/", {}, content_type="application/json"), json=True
    )
    health = anonymous.get("/healthz")
    assert health.status_code == 503
    assert health["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_the_app_recovers_when_the_database_is_back(persona, database_down):
    down, up = database_down
    chief = _signed_in(persona, "chief")
    down()
    assert chief.get("/lagesbild/").status_code == 503
    up()
    assert chief.get("/lagesbild/").status_code == 200
    assert chief.get("/api/v1/incidents/").status_code == 200


def test_a_broken_connection_is_closed_so_the_next_request_reconnects(persona, database_down):
    """An open connection whose server went away: the request that meets it is a 503 and the
    connection is dropped, not kept for the next request."""
    chief = _signed_in(persona, "chief")
    assert chief.get("/lagesbild/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert chief.get("/lagesbild/").status_code == 503
    assert connection.connection is None
    assert chief.get("/lagesbild/").status_code == 200


def test_a_fault_in_a_query_stays_a_500(persona, django_db_serialized_rollback, transactional_db):
    """A broken statement is a bug to see, not an outage to wait out."""
    client = Client(raise_request_exception=False)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_session RENAME TO django_session_away")
    try:
        response = client.get("/start/", headers={"cookie": "sessionid=" + "a" * 32})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_session_away RENAME TO django_session")
    assert response.status_code == 500
