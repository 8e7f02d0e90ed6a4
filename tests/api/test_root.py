import pytest
from django.core.management import call_command

from tests.access import by_role


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=200,
        owner=200,
        dpo=200,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
def test_me(client_as, role, status):
    response = client_as(role).get("/api/v1/me/")
    assert response.status_code == status


def test_anonymous_is_told_how_to_authenticate(client):
    response = client.get("/api/v1/departments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=200,
        dpo=403,
        partner=403,
        report_client=200,
        admin=200,
    ),
)
def test_departments_access(client_as, role, status):
    assert client_as(role).get("/api/v1/departments/").status_code == status


def test_owner_sees_only_own_department(client_as, department, other_department):
    names = [d["name"] for d in client_as("owner").get("/api/v1/departments/").json()["results"]]
    assert names == [department.name]


def test_report_client_sees_all_departments(client_as, department, other_department):
    results = client_as("report_client").get("/api/v1/departments/").json()["results"]
    assert {d["name"] for d in results} == {department.name, other_department.name}


def test_me_lists_capabilities_without_personal_data_for_partner(client_as):
    capabilities = client_as("partner").get("/api/v1/me/").json()["capabilities"]
    assert "view_lagesbild" in capabilities
    assert "view_personal_data" not in capabilities


def test_departments_query_count_is_fixed(client_as, django_assert_num_queries):
    from tests.accounts.factories import DepartmentFactory

    client = client_as("chief")
    client.get("/api/v1/departments/")  # warm the session
    # Two of them are the throttle's, in the cache shared by every app server.
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/departments/").json()["results"]) == 2
    DepartmentFactory.create_batch(5)
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/departments/").json()["results"]) == 7


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_schema_and_docs_are_served_without_cdn(client, url, db):
    response = client.get(url)
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()


def test_schema_is_valid_without_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
