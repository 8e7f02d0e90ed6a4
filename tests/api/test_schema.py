"""The schema says what the API answers, and the API refuses what the schema forbids: each of
the mismatches schemathesis found, pinned down on its own."""

import json
import re

import pytest
from django.test import Client


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/schema/?format=json").json()


def test_every_operation_documents_the_errors_every_view_gives(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404"} <= operation["responses"].keys(), (path, method)


def test_a_record_with_personal_fields_matches_its_role_shapes_once(schema):
    shapes = {
        name: s for name, s in schema["components"]["schemas"].items() if name.endswith("ForRole")
    }
    assert {"VisitForRole", "ShiftForRole", "DispatchRequestForRole"} <= shapes.keys()
    assert all("anyOf" in shape and "oneOf" not in shape for shape in shapes.values())


def test_visits_have_the_partners_shape_too(schema):
    retrieve = schema["paths"]["/api/v1/visits/{id}/"]["get"]["responses"]["200"]
    assert retrieve["content"]["application/json"]["schema"]["$ref"].endswith("VisitForRole")


def test_the_formats_of_areas_and_properties_are_documented(schema):
    for path in ("/api/v1/areas/", "/api/v1/properties/"):
        operation = schema["paths"][path]["get"]
        assert {"application/json", "text/csv", "application/geo+json"} <= operation["responses"][
            "200"
        ]["content"].keys()
        (format,) = [p for p in operation["parameters"] if p["name"] == "format"]
        assert set(format["schema"]["enum"]) == {"json", "csv", "geojson"}


def test_copying_a_week_takes_no_page_parameters(schema):
    parameters = schema["paths"]["/api/v1/shifts/copy-week/"]["post"].get("parameters", [])
    assert not {"cursor", "page_size"} & {parameter["name"] for parameter in parameters}


@pytest.mark.parametrize("value", ["null", "0", "1001", "x"])
def test_a_page_size_out_of_range_is_a_400(client_as, value):
    response = client_as("chief").get("/api/v1/areas/", {"page_size": value})
    assert response.status_code == 400
    assert response.json()["page_size"] == ["Använd ett heltal från 1 till 1000."]


def test_an_unknown_dialect_is_a_400_also_without_csv(client_as):
    response = client_as("partner").get("/api/v1/categories/", {"dialect": "AAA"})
    assert response.status_code == 400
    assert "dialect" in response.json()


def test_a_method_the_list_does_not_answer_is_a_405_whatever_the_format(client_as):
    response = client_as("chief").generic("TRACE", "/api/v1/departments/?format=csv")
    assert response.status_code == 405


@pytest.mark.parametrize("path", ["/api/v1/shifts/0.5/cancel/", "/api/v1/nothing/"])
def test_an_unknown_api_path_is_a_json_404(client_as, path):
    response = client_as("chief").get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Hittades inte."}


def test_areas_answer_geojson_of_their_own(client_as):
    response = client_as("partner").get("/api/v1/areas/", {"format": "geojson"})
    assert response["Content-Type"].startswith("application/geo+json")
    assert response.json()["type"] == "FeatureCollection"


def test_a_call_out_not_yet_cleared_has_a_blank_outcome_in_the_schema(schema):
    components = schema["components"]["schemas"]
    for name in ("Request", "RequestFigures", "Step"):
        outcome = json.dumps(components[name]["properties"]["outcome"])
        assert "BlankEnum" in outcome, name
    for field in ("area_name", "category_code", "car"):
        assert components["Request"]["properties"][field]["nullable"] is True


def test_times_of_day_are_local_without_an_offset(schema):
    start = schema["components"]["schemas"]["Assignment"]["properties"]["start_time"]
    assert "format" not in start
    assert re.fullmatch(start["pattern"], "21:00:00")


def test_an_optional_query_parameter_may_be_empty(schema, client_as):
    (to,) = [
        p for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"] if p["name"] == "to"
    ]
    assert to["allowEmptyValue"] is True
    assert (
        client_as("chief").get("/api/v1/incidents/", {"to": "", "page_size": ""}).status_code == 200
    )


@pytest.mark.parametrize("query", [{"kind": "AAA"}, {"active": "maybe"}])
def test_areas_refuse_a_filter_value_they_do_not_know(client_as, query):
    response = client_as("partner").get("/api/v1/areas/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_an_export_checks_the_page_size_too(client_as):
    response = client_as("report_client").get(
        "/api/v1/departments/", {"format": "csv", "page_size": "x"}
    )
    assert response.status_code == 400


def test_an_unknown_api_path_is_a_json_404_also_for_a_post_with_a_session(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("host"))
    response = client.post("/api/v1/night-button-calls/0.5/end/", {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_options_on_the_stats_asking_for_csv_answers_json(client_as):
    response = client_as("partner").options("/api/v1/stats/incidents/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/incidents/", {"has_escalation": "-58800"}),
        ("/api/v1/night-button-calls/", {"outside_hours": "yes"}),
        ("/api/v1/shifts/", {"state": "-58800"}),
        ("/api/v1/deviations/", {"overdue": "null"}),
    ],
)
def test_a_filter_value_outside_its_type_is_a_400(client_as, url, query):
    response = client_as("chief").get(url, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_area_features_are_shapes_in_the_schema(schema):
    components = schema["components"]["schemas"]
    area_list = schema["paths"]["/api/v1/areas/"]["get"]["responses"]["200"]["content"]
    assert area_list["application/geo+json"]["schema"]["$ref"].endswith("ShapeFeatureCollection")
    assert "$ref" not in json.dumps(components["ShapeFeature"]["properties"]["geometry"])
    assert components["Feature"]["properties"]["geometry"]["nullable"] is True
