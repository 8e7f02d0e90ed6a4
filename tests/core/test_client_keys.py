"""Every submission from the phone carries a client key, so that a resend is the same row: a
submission without one is refused, in the form and in the API, and nothing is saved."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from patrols.models import Visit
from properties.models import PropertyCheck
from tests.patrols.factories import AreaFactory, make_shift
from tests.properties.factories import PropertyFactory

# The API's host submissions; a new one must be added here and carry the key.
HOST_SUBMISSIONS = {
    "/api/v1/incidents/",
    "/api/v1/escalations/",
    "/api/v1/citizen-contacts/",
    "/api/v1/night-button-calls/",
    "/api/v1/visits/",
    "/api/v1/property-checks/",
}


def request_body(schema, operation) -> dict:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_host_submission_in_the_api_requires_its_key(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    keyed = {}
    for path, operations in schema["paths"].items():
        if "post" in operations and "requestBody" in operations["post"]:
            body = request_body(schema, operations["post"])
            if "client_key" in body.get("properties", {}):
                keyed[path] = "client_key" in body.get("required", [])
    assert keyed.keys() >= HOST_SUBMISSIONS
    assert all(keyed.values()), keyed


def test_a_check_without_its_key_is_refused_and_nothing_saved(client_as, persona):
    make_shift(hosts=[persona("host")], active=True)
    building = PropertyFactory()
    url = reverse("properties:property-check", args=[building.pk])
    response = client_as("host").post(url, {"all_ok": "1"})
    assert response.status_code == 400
    assert "sändningsnyckel" in response.content.decode()
    assert not PropertyCheck.objects.exists()


def test_an_arrival_without_its_key_is_a_400_naming_it(client_as, persona):
    shift = make_shift(hosts=[persona("host")], active=True)
    response = client_as("host").post(
        "/api/v1/visits/",
        {"shift": shift.pk, "area": AreaFactory().pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "client_key" in response.json()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("to", ["acknowledged", "dispatched"])
def test_every_dispatch_step_button_carries_a_fresh_key(to):
    class CallOut:
        pk = 1
        version = 1

    drawn = [
        render_to_string("dispatch/_step_form.html", {"call_out": CallOut(), "to": to})
        for _ in range(2)
    ]
    keys = [page.split('name="client_key" value="')[1][:36] for page in drawn]
    assert keys[0] != keys[1]
