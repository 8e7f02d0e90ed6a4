import pytest

from tests.access import LOGIN, assert_answer, by_role


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=200,
        owner=200,
        dpo=200,
        partner=200,
        report_client=LOGIN,
        admin=200,
    ),
)
def test_start_page_access(client_as, role, expected):
    assert_answer(client_as(role).get("/start/"), expected)


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("chief", "Säkerhetschef"),
        ("host", "Trygghetsvärd"),
        ("owner", "Fastighetsförvaltare"),
        ("partner", "Samverkanspart"),
        ("admin", "Administratör"),
    ],
)
def test_each_role_gets_its_own_start_page(client_as, role, heading):
    assert heading in client_as(role).get("/start/").content.decode()


def test_account_without_role_is_refused(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/start/").status_code == 403


def test_home_sends_staff_to_their_start_page(client_as):
    response = client_as("host").get("/")
    assert response.status_code == 302
    assert response.url == "/start/"


def test_home_is_public(client_as):
    response = client_as("anonymous").get("/")
    assert response.status_code == 200
    assert "112" in response.content.decode()
