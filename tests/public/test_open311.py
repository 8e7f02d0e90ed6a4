"""Open311 GeoReport v2 against the shapes of the spec's examples, in JSON and in XML."""

import json
from xml.etree import ElementTree

import pytest
from django.core.cache import cache

from incidents.models import Channel, CitizenContact
from tests.access import assert_answer, by_role
from tests.incidents.factories import CitizenContactFactory
from tests.patrols.factories import AreaFactory, square
from trygghet.public.forms import REPORT_CATEGORIES

SERVICE_KEYS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
REQUEST_KEYS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# A report as an app sends it, form-encoded.
GOOD = {
    "service_code": "graffiti",
    "lat": "59.602",
    "long": "16.502",
    "address_string": "Gångtunneln vid Västerskolan",
    "description": "Nytt klotter på gångtunneln vid skolan.",
    "email": "anna@example.se",
    "first_name": "Anna",
    "last_name": "Svensson",
    "phone": "070-123 45 67",
    "media_url": "https://example.se/bild.jpg",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()


def post(client, fmt="json", **changes):
    data = {key: value for key, value in {**GOOD, **changes}.items() if value is not None}
    return client.post(f"/open311/v2/requests.{fmt}", data)


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return ElementTree.fromstring(response.content)


def errors(response, status: int) -> list[str]:
    assert response.status_code == status
    rows = response.json()
    assert all(row["code"] == status for row in rows)
    assert [sorted(row) for row in rows] == [["code", "description"]] * len(rows)
    return [row["description"] for row in rows]


def test_services_are_the_public_forms_categories(client, db):
    rows = client.get("/open311/v2/services.json").json()
    assert {row["service_code"] for row in rows} == set(REPORT_CATEGORIES)
    graffiti = next(row for row in rows if row["service_code"] == "graffiti")
    assert list(graffiti) == SERVICE_KEYS
    assert graffiti["service_name"] == "Klotter"
    assert (graffiti["metadata"], graffiti["type"]) == (False, "realtime")
    assert graffiti["group"] == "Klotter"


def test_services_in_xml(client, db):
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == len(REPORT_CATEGORIES)
    assert [child.tag for child in services[0]] == SERVICE_KEYS
    assert {service.findtext("metadata") for service in services} == {"false"}


def test_service_definition(client, db):
    assert client.get("/open311/v2/services/graffiti.json").json() == {
        "service_code": "graffiti",
        "attributes": [],
    }
    root = xml(client.get("/open311/v2/services/graffiti.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "graffiti"
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/services/burglary.json",
        "/open311/v2/services/nothing.json",
        "/open311/v2/services.csv",
        "/open311/v2/requests/TV-NOSUCH.json",
    ],
)
def test_unknown_service_request_or_format_is_a_404_in_the_spec_format(client, db, url):
    assert errors(client.get(url), 404) == ["Hittades inte"]


def test_unknown_in_xml_is_the_xml_error_list(client, db):
    response = client.get("/open311/v2/services/nothing.xml")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("404", "Hittades inte")
    ]


def test_a_posted_request_becomes_a_waiting_web_contact(client, db):
    area = AreaFactory(boundary=square(16.50, 59.60))
    response = post(client)
    assert response.status_code == 200
    [row] = response.json()
    assert list(row) == ["service_request_id", "service_notice", "account_id"]
    contact = CitizenContact.objects.get()
    assert row["service_request_id"] == contact.reference
    assert "112" in row["service_notice"]
    assert contact.channel == Channel.WEB
    assert (contact.outcome, contact.shift) == ("", None)
    assert contact.category.code == "graffiti"
    assert contact.reason == GOOD["description"]
    assert contact.place_text == GOOD["address_string"]
    assert contact.area == area
    assert contact.contact_details == "Anna, Svensson, anna@example.se, 070-123 45 67"


def test_contact_details_only_when_given(client, db):
    post(client, email=None, first_name=None, last_name=None, phone=None)
    assert CitizenContact.objects.get().contact_details == ""


def test_a_posted_request_in_xml(client, db):
    root = xml(post(client, fmt="xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == CitizenContact.objects.get().reference
    assert request.find("account_id").text is None


def test_a_json_body_is_taken_too(client, db):
    response = client.post(
        "/open311/v2/requests.json",
        json.dumps({**GOOD, "lat": 59.602, "long": 16.502}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert CitizenContact.objects.get().latitude is not None


@pytest.mark.parametrize("body", ["[1, 2]", "{", '"text"'])
def test_a_json_body_that_is_not_an_object(client, db, body):
    response = client.post("/open311/v2/requests.json", body, content_type="application/json")
    assert errors(response, 400) == ["Innehållet är inte ett JSON-objekt."]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"service_code": None}, "service_code: Välj vad det gäller"),
        ({"service_code": "burglary"}, "service_code: Välj ett giltigt alternativ"),
        ({"service_code": "nothing"}, "service_code: Välj ett giltigt alternativ"),
        ({"description": ""}, "description: Beskriv kort"),
        ({"description": "x" * 2001}, "description: Säkerställ att detta värde har som mest"),
        ({"address_string": "x" * 201}, "address_string: Säkerställ"),
        ({"email": "x" * 201}, "email: Säkerställ"),
        ({"lat": "48.85", "long": "2.35"}, "utanför Sverige"),
        ({"lat": "59.6", "long": None}, "både latitud och longitud"),
        ({"lat": "norr"}, "lat: Latituden är inte ett tal"),
        ({"lat": "1e308"}, "mellan -90 och 90"),
        ({"long": "NaN"}, "mellan -180 och 180"),
    ],
)
def test_bad_input_is_a_400_in_the_spec_format_and_nothing_is_saved(client, db, changes, message):
    descriptions = errors(post(client, **changes), 400)
    assert any(text.startswith(message) or message in text for text in descriptions)
    assert not CitizenContact.objects.exists()


def test_bad_input_in_xml(client, db):
    response = post(client, fmt="xml", service_code="nothing")
    assert response.status_code == 400
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "400"


def test_honeypot_refused_as_on_the_public_page(client, db):
    assert errors(post(client, website="http://spam.example"), 400) == [
        "Rapporten kunde inte skickas."
    ]
    assert not CitizenContact.objects.exists()


def test_rate_limit_is_shared_with_the_public_form(client, db, settings):
    settings.PUBLIC_REPORT_LIMIT = 2
    assert post(client).status_code == 200
    public = {"category": "graffiti", "reason": "Klotter.", "website": ""}
    assert client.post("/public/report/", public).status_code == 302
    [message] = errors(post(client), 429)
    assert "många rapporter" in message
    assert CitizenContact.objects.count() == 2


def test_a_resend_is_a_new_report_as_on_the_public_page(client, db):
    first = post(client).json()[0]["service_request_id"]
    second = post(client).json()[0]["service_request_id"]
    assert first != second
    assert CitizenContact.objects.count() == 2


def test_no_csrf_token_needed(db):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True))
    assert response.status_code == 200


def test_listing_requests_is_not_supported(client, db):
    assert errors(client.get("/open311/v2/requests.json"), 404) == ["Att lista ärenden stöds inte."]
    assert xml(client.get("/open311/v2/requests.xml")).tag == "errors"


def test_request_status_tells_nothing_personal(client, db):
    area = AreaFactory(name="Centrum", boundary=square(16.50, 59.60))
    post(client)
    reference = CitizenContact.objects.get().reference
    [row] = client.get(f"/open311/v2/requests/{reference}.json").json()
    assert list(row) == REQUEST_KEYS
    assert row["service_request_id"] == reference
    assert (row["status"], row["service_code"], row["address"]) == ("open", "graffiti", area.name)
    assert row["requested_datetime"][:4].isdigit() and row["requested_datetime"][-6] in "+-"
    for key in ("description", "lat", "long", "status_notes", "media_url"):
        assert row[key] is None
    body = client.get(f"/open311/v2/requests/{reference}.xml").content.decode()
    for personal in ("klotter på", "anna", "070", "Gångtunneln", "59.60", "16.50"):
        assert personal.lower() not in body.lower()
    assert xml(client.get(f"/open311/v2/requests/{reference}.xml")).find("request") is not None


def test_a_handled_contact_is_closed(client, db):
    contact = CitizenContactFactory(reference="TV-ABC123", outcome="handled")
    [row] = client.get(f"/open311/v2/requests/{contact.reference}.json").json()
    assert row["status"] == "closed"
    assert row["address"] is None


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=200,
        chief=200,
        host=200,
        owner=200,
        partner=200,
        report_client=200,
        admin=200,
        dpo=200,
    ),
)
def test_every_role_gets_the_same_public_answers(client_as, role, expected):
    client = client_as(role)
    assert_answer(client.get("/open311/v2/services.json"), expected)
    assert_answer(client.get("/open311/v2/services/graffiti.xml"), expected)
    assert_answer(post(client), expected)
    reference = CitizenContact.objects.get().reference
    assert_answer(client.get(f"/open311/v2/requests/{reference}.json"), expected)
    assert client.get("/open311/v2/requests.json").status_code == 404
