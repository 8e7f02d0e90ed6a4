"""The forms a host fills in at night, on the nights the clocks change: the time a form fills in
itself is accepted in both passes of the repeated hour, and a time typed in the spring gap is
read after the gap."""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from incidents.models import CitizenContact, Escalation, Incident
from tests.incidents.factories import IncidentFactory, category
from tests.patrols.factories import PhoneLineFactory, make_shift

FIRST_PASS = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)  # 02:40 summer time
SECOND_PASS = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)  # 02:40 winter time, an hour later
AFTER_THE_GAP = datetime(2027, 3, 28, 1, 40, tzinfo=UTC)  # 03:40 summer time


def _post(client_as, persona, form: str, typed: str):
    shift = make_shift(hosts=[persona("host")], active=True, phone_line=PhoneLineFactory())
    client = client_as("host")
    key = str(uuid.uuid4())
    if form == "quick-log":
        data = {"category": category("graffiti").pk, "occurred_at": typed, "client_key": key}
        data["source"] = "own_observation"
        return client.post("/incidents/new/", data), lambda: Incident.objects.get().occurred_at
    if form == "call-for-help":
        incident = IncidentFactory.create(reported_by=persona("host"), shift=shift)
        data = {"service": "rescue", "called_at": typed, "client_key": key}
        response = client.post(f"/incidents/{incident.pk}/calls-for-help/new/", data)
        return response, lambda: Escalation.objects.get().called_at
    data = {"received_at": typed, "channel": "in_person", "reason": "Frågade", "client_key": key}
    return client.post(
        "/citizen-contacts/new/", data
    ), lambda: CitizenContact.objects.get(client_key=key).received_at


FORMS = ["quick-log", "call-for-help", "citizen-contact"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("now", [FIRST_PASS, SECOND_PASS], ids=["summer-time", "winter-time"])
def test_the_time_the_form_fills_in_is_taken_in_both_passes_of_the_repeated_hour(
    client_as, persona, form, now
):
    with time_machine.travel(now, tick=False):
        typed = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        assert typed == "2026-10-25T02:40"
        response, saved = _post(client_as, persona, form, typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert saved() == now


@pytest.mark.parametrize("form", FORMS)
def test_a_time_typed_in_the_spring_gap_is_read_after_the_gap(client_as, persona, form):
    with time_machine.travel(AFTER_THE_GAP, tick=False):
        response, saved = _post(client_as, persona, form, "2027-03-28T02:40")
    assert response.status_code == 302, response.content.decode()[:2000]
    # 02:40 never happened that night; it is read as 03:40 summer time, 01:40 UTC.
    assert saved() == AFTER_THE_GAP
