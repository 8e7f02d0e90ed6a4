import pytest
from django.core.cache import cache
from django.urls import reverse

from incidents.models import Channel, CitizenContact
from tests.patrols.factories import AreaFactory, square

GOOD = {
    "category": "graffiti",
    "reason": "Nytt klotter på gångtunneln vid skolan.",
    "place_text": "Gångtunneln vid Västerskolan",
    "latitude": "",
    "longitude": "",
    "contact_details": "",
    "website": "",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()


def send(client, **changes):
    return client.post("/public/report/", {**GOOD, **changes})


def test_a_report_becomes_a_waiting_web_contact_with_a_reference(client, db):
    response = send(client)
    assert response.status_code == 302
    contact = CitizenContact.objects.get()
    assert contact.channel == Channel.WEB
    assert contact.outcome == ""
    assert contact.shift is None
    assert contact.category.code == "graffiti"
    assert contact.reference.startswith("TV-")
    thanks = client.get(response.url).content.decode()
    assert contact.reference in thanks


def test_position_gives_the_area(client, db):
    area = AreaFactory(boundary=square(16.50, 59.60))
    send(client, latitude="59.602", longitude="16.502")
    assert CitizenContact.objects.get().area == area


def test_contact_details_are_never_required(client, db):
    response = send(client, contact_details="")
    assert (response.status_code, response["Location"]) == (302, reverse("public:report-thanks"))
    assert CitizenContact.objects.get().contact_details == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": ""}, "Välj vad det gäller"),
        ({"category": "burglary"}, "Välj ett giltigt alternativ"),
        ({"reason": ""}, "Beskriv kort"),
        ({"reason": "x" * 2001}, "som mest 2000 tecken"),
        ({"contact_details": "x" * 201}, "som mest 200 tecken"),
        ({"latitude": "48.85", "longitude": "2.35"}, "utanför Sverige"),
        ({"latitude": "59.6", "longitude": ""}, "både latitud och longitud"),
        ({"latitude": "norr"}, "Latituden är inte ett tal"),
        ({"latitude": "1e308", "longitude": "16.5"}, "mellan -90 och 90"),
        ({"latitude": "59.6", "longitude": "NaN"}, "mellan -180 och 180"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(client, db, changes, message):
    response = send(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CitizenContact.objects.exists()


def test_honeypot_saves_nothing(client, db):
    response = send(client, website="http://spam.example")
    assert response.status_code == 400
    assert not CitizenContact.objects.exists()


def test_rate_limit_per_client(client, db, settings):
    settings.PUBLIC_REPORT_LIMIT = 2
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert "många rapporter" in response.content.decode()
    assert CitizenContact.objects.count() == 2
    assert CitizenContact.objects.count() == 2


def test_rate_limit_is_per_address(client, db, settings):
    settings.PUBLIC_REPORT_LIMIT = 1
    assert client.post("/public/report/", GOOD, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post("/public/report/", GOOD, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post("/public/report/", GOOD, REMOTE_ADDR="192.0.2.2").status_code == 302
    assert CitizenContact.objects.count() == 2


def test_get_is_not_allowed(client, db):
    assert client.get("/public/report/").status_code == 405


def test_thanks_without_a_report_goes_home(client, db):
    assert client.get("/public/report/thanks/").url == "/"


def test_form_shows_the_112_notice(client, db):
    page = client.get("/").content.decode()
    assert "Inte för nödsituationer" in page
    assert 'name="website"' in page


def test_the_report_reaches_hosts_but_its_text_not_partners(client, client_as, db):
    send(client, contact_details="070-123 45 67", latitude="59.602", longitude="16.502")
    host_page = client_as("host").get("/citizen-contacts/").content.decode()
    assert "Nytt klotter på gångtunneln" in host_page
    for role in ("partner", "report_client"):
        body = client_as(role).get("/api/v1/citizen-contacts/").content.decode()
        assert "klotter på gångtunneln" not in body
        assert "070-123 45 67" not in body
        assert "59.602" not in body
        assert "TV-" not in body
    chief = client_as("chief").get("/api/v1/citizen-contacts/").json()["results"][0]
    assert chief["contact_details"] == "070-123 45 67"
