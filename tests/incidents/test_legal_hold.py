import pytest
from django.urls import reverse

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.incidents.factories import CitizenContactFactory

HOLDERS = by_role(
    anonymous=LOGIN,
    chief=DONE,
    host=403,
    owner=403,
    partner=403,
    report_client=LOGIN,
    admin=DONE,
    dpo=403,
)


@pytest.mark.parametrize(("role", "expected"), HOLDERS)
def test_the_chief_places_a_legal_hold_on_an_incident(client_as, incident, role, expected):
    url = reverse("incidents:incident-legal-hold", args=[incident.pk])

    response = client_as(role).post(url, {"held": "on", "note": "Polisens K-123"})

    assert_answer(response, expected, done=incident.get_absolute_url())
    incident.refresh_from_db()
    assert (incident.legal_hold, incident.legal_hold_note) == (
        (True, "Polisens K-123") if expected == DONE else (False, "")
    )


@pytest.mark.parametrize(("role", "expected"), HOLDERS)
def test_the_chief_places_a_legal_hold_on_a_contact(client_as, persona, shift, role, expected):
    contact = CitizenContactFactory(recorded_by=persona("host"), shift=shift)
    url = reverse("incidents:citizen-contact-legal-hold", args=[contact.pk])

    response = client_as(role).post(url, {"held": "on", "note": "K-7"})

    back = reverse("incidents:citizen-contact-edit", args=[contact.pk])
    assert_answer(response, expected, done=back)
    contact.refresh_from_db()
    assert contact.legal_hold is (expected == DONE)


def test_a_hold_without_its_reason_is_refused_with_a_message(client_as, incident):
    client = client_as("chief")
    url = reverse("incidents:incident-legal-hold", args=[incident.pk])

    page = client.post(url, {"held": "on", "note": ""}, follow=True)

    incident.refresh_from_db()
    assert not incident.legal_hold
    assert "diarienumret" in page.content.decode()
    assert "Bevarande för rättslig process" in page.content.decode()
