"""From a call-out or a resident's report to a notification on the phone: the job deferred in
the sender's transaction, the push request to the push service (tests/push/service.py), what
the phone decrypts, and what the push service's answers do to the subscription."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.factories import make_request, step
from tests.incidents.factories import category
from tests.jobs import queued_jobs, run_queued_jobs
from tests.patrols.factories import PhoneLineFactory, VehicleFactory, make_shift
from tests.push.conftest import subscribe
from trygghet.dispatch.models import State
from trygghet.public.services import report_create
from trygghet.push.delivery import PushFailed
from trygghet.push.models import PushDelivery, PushSubscription

pytestmark = pytest.mark.usefixtures("vapid")

# A name planted in every free-text field of a call-out and a report: it must reach no phone.
NAME = "Birgitta Lindqvist"


@pytest.fixture
def car(persona, area):
    return make_shift(
        hosts=[persona("host")], active=True, vehicle=VehicleFactory(name="Trygghetsbil 1")
    )


@pytest.fixture
def other_car(persona):
    return make_shift(
        hosts=[persona("other_host")],
        active=True,
        vehicle=VehicleFactory(name="Trygghetsbil 2"),
        phone_line=PhoneLineFactory(),
    )


@pytest.fixture
def phone(client_as, push_service):
    """The host's phone, subscribed from the start page."""
    phone = push_service.phone()
    assert subscribe(client_as("host"), phone).status_code == 204
    return phone


def call_out(persona, **options):
    return make_request(
        by=persona("chief"),
        what=f"{NAME} känner sig hotad",
        note=f"Ring {NAME} på 070-123 45 67",
        place_text=f"Utanför {NAME}s port, Storgatan 5",
        priority=1,
        **options,
    )


def test_a_call_out_to_the_car_reaches_the_phone_without_personal_data(
    persona, car, phone, push_service, vapid
):
    request = call_out(persona, shift=car)

    [(name, args)] = queued_jobs()
    assert name == "trygghet.push.tasks.push_send"
    run_queued_jobs()

    [received] = push_service.to(phone)
    message = phone.decrypt(received)
    assert message == {
        "title": "Utryckning: Hög — Centrum",
        "body": "Skickad till er bil. Öppna för att se vad och var.",
        "url": f"/dispatch/{request.pk}/",
        "tag": f"dispatch-{request.pk}",
    }
    for planted in (NAME, "Lindqvist", "070", "Storgatan"):
        assert planted not in received.body.decode(errors="replace")
        assert planted not in str(message)
        assert planted not in str(queued_jobs())
    # RFC 8030/8292: a time to live, urgent, signed for this push service with the server's key.
    assert received.headers["ttl"] == "900"
    assert received.headers["urgency"] == "high"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert received.claims["sub"] == "mailto:trygghet@example.se"
    assert received.claims["exp"] > timezone.now().timestamp()
    assert (
        received.server_key.rstrip("=")
        == pytest.importorskip("django.conf").settings.VAPID_PUBLIC_KEY
    )


def test_the_push_request_is_recorded_with_the_time_since_the_dispatch(
    persona, car, phone, push_service
):
    request = call_out(persona, shift=car)
    dispatched = request.steps.get(state=State.DISPATCHED).at

    run_queued_jobs()

    delivery = PushDelivery.objects.get()
    assert (delivery.url, delivery.status, delivery.event_at) == (
        request.get_absolute_url(),
        201,
        dispatched,
    )
    assert delivery.sent_at >= dispatched
    assert PushSubscription.objects.get().last_used_at == delivery.sent_at


def test_the_dispatcher_s_request_does_not_send(persona, car, phone, push_service):
    call_out(persona, shift=car)

    assert push_service.received == []


def test_a_call_out_waiting_for_a_car_rings_no_phone(persona, car, phone, push_service):
    call_out(persona)

    assert queued_jobs() == []


def test_a_change_reaches_the_car_that_had_it(persona, car, other_car, phone, push_service):
    other_phone = push_service.phone()
    other = Client()
    other.force_login(persona("other_host"))
    subscribe(other, other_phone)
    request = call_out(persona, shift=car)
    run_queued_jobs()

    step(request, by=persona("chief"), to=State.DISPATCHED, shift=other_car)
    run_queued_jobs()
    step(request, by=persona("chief"), to=State.CANCELLED)
    run_queued_jobs()

    titles = [(m["title"], m["body"]) for m in map(phone.decrypt, push_service.to(phone))]
    assert titles == [
        ("Utryckning: Hög — Centrum", "Skickad till er bil. Öppna för att se vad och var."),
        ("Utryckning ändrad: Hög — Centrum", "Skickad till en annan bil i stället."),
    ]
    titles = [
        (m["title"], m["body"]) for m in map(other_phone.decrypt, push_service.to(other_phone))
    ]
    assert titles == [
        ("Utryckning: Hög — Centrum", "Skickad till er bil. Öppna för att se vad och var."),
        ("Utryckning ändrad: Hög — Centrum", "Avbruten."),
    ]


def test_taking_a_call_out_back_tells_the_car(persona, car, phone, push_service):
    request = call_out(persona, shift=car)
    step(request, by=persona("chief"), to=State.REQUESTED)
    run_queued_jobs()

    last = phone.decrypt(push_service.to(phone)[-1])
    assert last["body"] == "Återtagen: den väntar på en bil igen."


def test_the_crew_s_own_steps_ring_nobody(persona, car, phone, push_service):
    request = call_out(persona, shift=car)
    run_queued_jobs()

    step(request, by=persona("host"), to=State.ACKNOWLEDGED)

    assert queued_jobs() == []


def test_a_resident_s_report_reaches_the_hosts_on_a_running_shift_only(
    persona, car, phone, push_service, area
):
    planned = push_service.phone()
    off_duty = persona("other_host")
    make_shift(hosts=[off_duty], start=timezone.now().replace(microsecond=0) + timedelta(days=1))
    client = Client()
    client.force_login(off_duty)
    subscribe(client, planned)

    contact = report_create(
        category=category("graffiti"),
        reason=f"{NAME} sprejar på väggen",
        contact_details="birgitta@example.se",
        place_text=f"Hos {NAME}",
        latitude=59.611,
        longitude=16.541,
    )
    run_queued_jobs()

    [received] = push_service.to(phone)
    message = phone.decrypt(received)
    assert message == {
        "title": "Invånarrapport: Klotter — Centrum",
        "body": "Skickad från webben. Öppna för att läsa den.",
        "url": reverse("incidents:citizen-contact-edit", args=[contact.pk]),
        "tag": f"report-{contact.pk}",
    }
    assert NAME not in str(message) and "birgitta" not in received.body.decode(errors="replace")
    assert push_service.to(planned) == []


def test_the_public_form_sends_the_report_to_the_hosts(client, car, phone, push_service):
    response = client.post(
        "/public/report/",
        {
            "category": "graffiti",
            "reason": "Klotter på busskuren",
            "latitude": "59.611",
            "longitude": "16.541",
        },
    )
    assert response.status_code == 302
    run_queued_jobs()

    assert phone.decrypt(push_service.to(phone)[0])["title"] == "Invånarrapport: Klotter — Centrum"


def test_signing_out_removes_the_phone_s_subscription(client_as, persona, car, push_service):
    host = client_as("host")
    phone = push_service.phone()
    subscribe(host, phone)
    desk = Client()
    desk.force_login(persona("host"))
    desk_phone = push_service.phone()
    subscribe(desk, desk_phone)

    host.post(reverse("logout"))

    # The desk's browser, signed in as the same host, keeps its own.
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        desk_phone.endpoint
    ]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_removed(
    persona, car, phone, push_service, status
):
    push_service.answer(phone, status)
    call_out(persona, shift=car)

    run_queued_jobs()

    assert PushSubscription.objects.count() == 0
    assert PushDelivery.objects.get().status == status


def test_a_failing_push_service_fails_the_job_for_a_retry(persona, car, phone, push_service):
    push_service.answer(phone, 503)
    call_out(persona, shift=car)

    with pytest.raises(PushFailed):
        run_queued_jobs()

    assert PushSubscription.objects.count() == 1
    assert PushDelivery.objects.get().status == 503


def test_push_is_off_without_keys(settings, persona, car, phone, push_service):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    call_out(persona, shift=car)
    report_create(category=category("graffiti"), reason="Klotter")

    assert queued_jobs() == []
