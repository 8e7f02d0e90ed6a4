"""What the phone's outbox relies on: a submission sent later carries the moment the host
pressed Save (`happened_at`), bounded by the shift; a resend of the same item is one record."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents.models import NightButtonCall
from patrols.models import Visit
from properties.models import Deviation, PropertyCheck
from tests.dispatch.factories import request_in
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift
from tests.properties.factories import PropertyFactory
from trygghet.dispatch.models import DispatchStep, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(persona):
    """The host's shift started ten minutes ago (seconds dropped, as a form shows them)."""
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    return make_shift(
        hosts=[persona("host")], active=True, start=start, phone_line=PhoneLineFactory()
    )


def check_post(building, moment, key=None):
    data = {
        "client_key": key or str(uuid.uuid4()),
        "description": "Dörren olåst.",
        "actions": "secured",
    }
    for item in building.checklist:
        data[f"item_{item}"] = "ok"
    data[f"item_{building.checklist[0]}"] = "fail"
    return data | {"happened_at": moment.isoformat()}


def test_a_check_sent_later_keeps_the_moment_it_was_saved_and_a_resend_is_one_check(
    client_as, started, department
):
    building = PropertyFactory(department=department)
    saved = started.start + timedelta(minutes=3, seconds=17)
    data = check_post(building, saved)
    url = reverse("properties:property-check", args=[building.pk])
    client = client_as("host")
    with time_machine.travel(timezone.now() + timedelta(minutes=40)):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302

    check = PropertyCheck.objects.get()
    assert check.checked_at == saved
    assert Deviation.objects.get().found_at == saved


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(minutes=-11), "inte före starten eller i framtiden"),
        (timedelta(minutes=30), "inte före starten eller i framtiden"),
    ],
)
def test_a_check_from_before_the_shift_or_the_future_is_a_400_in_swedish(
    client_as, started, department, offset, message
):
    building = PropertyFactory(department=department)
    url = reverse("properties:property-check", args=[building.pk])
    response = client_as("host").post(url, check_post(building, timezone.now() + offset))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PropertyCheck.objects.exists()


def test_a_garbled_moment_is_a_400(client_as, started, department):
    building = PropertyFactory(department=department)
    url = reverse("properties:property-check", args=[building.pk])
    data = check_post(building, timezone.now()) | {"happened_at": "igår"}

    assert client_as("host").post(url, data).status_code == 400
    assert not PropertyCheck.objects.exists()


def test_night_button_taps_sent_later_keep_their_moments(client_as, started):
    client = client_as("host")
    began, ended = started.start + timedelta(minutes=2), started.start + timedelta(minutes=9)
    start = {"client_key": str(uuid.uuid4()), "happened_at": began.isoformat()}
    for _twice in range(2):
        client.post(reverse("incidents:night-button-start"), start)
    call = NightButtonCall.objects.get()
    end = {"outcome": "arrived", "happened_at": ended.isoformat()}
    client.post(reverse("incidents:night-button-end", args=[call.pk]), end)

    call.refresh_from_db()
    assert (call.started_at, call.ended_at) == (began, ended)


def test_a_night_button_tap_from_the_future_is_refused(client_as, started):
    future = timezone.now() + timedelta(hours=1)
    client_as("host").post(
        reverse("incidents:night-button-start"),
        {"client_key": str(uuid.uuid4()), "happened_at": future.isoformat()},
    )
    assert not NightButtonCall.objects.exists()


def test_arrival_and_departure_sent_later_keep_their_moments(client_as, started):
    area = AreaFactory()
    client = client_as("host")
    arrived, left = started.start + timedelta(minutes=1), started.start + timedelta(minutes=8)
    arrive = {"area": area.pk, "client_key": str(uuid.uuid4()), "happened_at": arrived.isoformat()}
    client.post(reverse("patrols:visit-arrive"), arrive)
    client.post(reverse("patrols:visit-arrive"), arrive)
    visit = Visit.objects.get()
    client.post(reverse("patrols:visit-leave", args=[visit.pk]), {"happened_at": left.isoformat()})

    visit.refresh_from_db()
    assert (visit.arrived_at, visit.left_at) == (arrived, left)


def test_a_departure_before_the_shift_is_refused(client_as, started):
    visit = Visit.objects.create(
        shift=started, area=AreaFactory(), arrived_at=started.start, recorded_by=started.hosts.get()
    )
    before = started.start - timedelta(hours=1)
    client_as("host").post(
        reverse("patrols:visit-leave", args=[visit.pk]), {"happened_at": before.isoformat()}
    )
    visit.refresh_from_db()
    assert visit.left_at is None


def test_a_dispatch_step_sent_later_keeps_its_moment(client_as, persona, started):
    call_out = request_in(State.DISPATCHED, by=persona("chief"), shift=started)
    tapped = timezone.now() - timedelta(seconds=5)
    data = {
        "to": State.ACKNOWLEDGED,
        "version": call_out.version,
        "client_key": str(uuid.uuid4()),
        "happened_at": tapped.isoformat(),
    }
    url = reverse("dispatch:request-step", args=[call_out.pk])
    for _twice in range(2):
        assert client_as("host").post(url, data).status_code == 302

    step = DispatchStep.objects.get(state=State.ACKNOWLEDGED)
    assert step.at == max(tapped, DispatchStep.objects.get(state=State.DISPATCHED).at)
