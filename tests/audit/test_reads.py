"""Every page and endpoint that shows personal data writes exactly one audit row per request,
lists included (one row with the filter and the count, not one per row), and nothing is shown
when the row cannot be written."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.models import Incident, IncidentPhoto
from tests.incidents.factories import make_records
from trygghet.audit.models import Read, TokenUse
from trygghet.dispatch.services import position_record


@pytest.fixture
def records(persona, shift):
    """Three incidents (each with a call for help, a contact and a night-button call) on the
    host's shift, a photo of the first, and a position of the car."""
    make_records(3, host=persona("host"), shift=shift)
    incident = Incident.objects.order_by("id").first()
    IncidentPhoto.objects.create(
        incident=incident, image=ContentFile(b"x", name="p.jpg"), uploaded_by=persona("host")
    )
    position_record(host=persona("host"), latitude="59.611", longitude="16.541", accuracy=8)
    return incident


def _urls(incident):
    photo = incident.photos.get()
    contact = incident.citizen_contacts.get()
    return {
        "incident detail": (reverse("incidents:incident-detail", args=[incident.pk]), 1),
        "incident edit": (reverse("incidents:incident-edit", args=[incident.pk]), 1),
        "incident photo": (photo.get_absolute_url(), 1),
        "incident list": (reverse("incidents:incident-list"), 3),
        "incident export": (reverse("incidents:incident-export"), 3),
        "contact list": (reverse("incidents:citizen-contact-list"), 3),
        "contact page": (reverse("incidents:citizen-contact-edit", args=[contact.pk]), 1),
        "night-button calls": (reverse("incidents:night-button"), 3),
        "api incidents": ("/api/v1/incidents/", 3),
        "api incidents csv": ("/api/v1/incidents/?format=csv", 3),
        "api incidents geojson": ("/api/v1/incidents/?format=geojson", 3),
        "api incident": (f"/api/v1/incidents/{incident.pk}/", 1),
        "api contacts": ("/api/v1/citizen-contacts/", 3),
        "api calls for help": ("/api/v1/escalations/", 3),
        "api night-button calls": ("/api/v1/night-button-calls/", 3),
        "api call-outs csv": ("/api/v1/dispatches/?format=csv", 0),
        "dispatch board": (reverse("dispatch:board"), 1),
        "dispatch history": (reverse("dispatch:request-list"), 0),
        "dispatch export": (reverse("dispatch:request-export"), 0),
        "admin incident": (reverse("admin:incidents_incident_change", args=[incident.pk]), 1),
        "admin contact": (
            reverse("admin:incidents_citizencontact_change", args=[contact.pk]),
            1,
        ),
    }


PAGES = [
    "incident detail",
    "incident edit",
    "incident photo",
    "incident list",
    "incident export",
    "contact list",
    "contact page",
    "night-button calls",
    "api incidents",
    "api incidents csv",
    "api incidents geojson",
    "api incident",
    "api contacts",
    "api calls for help",
    "api night-button calls",
    "api call-outs csv",
    "dispatch board",
    "dispatch history",
    "dispatch export",
    "admin incident",
    "admin contact",
]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_that_shows_personal_data_writes_one_row(client_as, records, reads, page):
    urls = _urls(records)
    assert sorted(urls) == sorted(PAGES)
    url, rows = urls[page]
    role = "admin" if page.startswith("admin") else "chief"

    response = client_as(role).get(url)
    if response.streaming:  # read to the end, which closes a photo's file
        b"".join(response.streaming_content)

    assert response.status_code == 200
    [(user, _type, subject, counted)] = reads()
    assert user == ("admin" if role == "admin" else "chef")
    if rows == 1 and subject is not None:
        assert counted is None
    else:
        assert (subject, counted) == (None, rows)


def test_a_list_writes_one_row_with_its_filter_and_count_not_one_per_row(client_as, records, reads):
    response = client_as("chief").get(reverse("incidents:incident-list"), {"state": "new"})

    assert response.status_code == 200
    read = Read.objects.get()
    assert (read.subject_type, read.subject_id, read.rows) == ("incidents.incident", None, 3)
    assert read.filters == {"state": "new"}


@pytest.mark.parametrize("role", ["partner", "report_client"])
def test_reads_without_personal_data_leave_no_row(client_as, records, role):
    client = client_as(role)
    for url in ("/api/v1/incidents/", "/api/v1/incidents/?format=csv", "/api/v1/areas/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert not Read.objects.exists()


def test_every_use_of_an_api_token_is_counted(client_as, records):
    client = client_as("report_client")
    client.get("/api/v1/incidents/?format=csv", REMOTE_ADDR="10.1.2.3")
    client.get("/api/v1/incidents/999999/")

    uses = [
        (use.user.username, use.token.name, use.path, use.status, use.address)
        for use in TokenUse.objects.order_by("id")
    ]
    assert uses == [
        ("rapport", "test", "/api/v1/incidents/?format=csv", 200, "10.1.2.3"),
        ("rapport", "test", "/api/v1/incidents/999999/", 404, "127.0.0.1"),
    ]


def test_the_address_is_the_one_our_proxy_saw(client_as, records, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    client_as("chief").get(
        reverse("incidents:incident-detail", args=[records.pk]),
        HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7",
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )

    assert Read.objects.get().address == "192.0.2.7"


@pytest.mark.parametrize(
    "url",
    [
        "incident detail",
        "incident photo",
        "incident list",
        "incident export",
        "api incidents csv",
        "api incident",
        "admin incident",
    ],
)
def test_a_read_that_cannot_be_recorded_is_refused(client_as, records, refusing_inserts, url):
    response = client_as("admin" if url.startswith("admin") else "chief").get(
        _urls(records)[url][0]
    )

    assert response.status_code == 503
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"PERSONUPPGIFT" not in body
    assert "kunde inte" in body.decode()


def test_deviation_pages_write_one_row_each(client_as, own_deviation, reads):
    client = client_as("owner")
    for url in (
        reverse("properties:deviation-list"),
        reverse("properties:deviation-detail", args=[own_deviation.pk]),
        reverse(
            "properties:deviation-photo", args=[own_deviation.pk, own_deviation.photos.get().pk]
        ),
        "/api/v1/deviations/",
        "/api/v1/deviations/?format=csv",
        f"/api/v1/deviations/{own_deviation.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    assert reads() == [
        ("agare", "properties.deviation", None, 1),
        ("agare", "properties.deviation", own_deviation.pk, None),
        ("agare", "properties.deviation", own_deviation.pk, None),
        ("agare", "properties.deviation", None, 1),
        ("agare", "properties.deviation", None, 1),
        ("agare", "properties.deviation", own_deviation.pk, None),
    ]
