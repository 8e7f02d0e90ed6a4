import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import CitizenContact, ContactOutcome, Incident
from incidents.models import Source as IncidentSource
from patrols.models import ShiftState
from tests.dispatch.factories import HERE, make_request, request_in, step
from tests.incidents.factories import CitizenContactFactory, category
from tests.properties.factories import PropertyFactory
from trygghet.dispatch.models import (
    HOST_STEPS,
    TRANSITIONS,
    DispatchRequest,
    DispatchStep,
    Outcome,
    Source,
    State,
)
from trygghet.dispatch.services import (
    dispatch_request_clear_as_incident,
    dispatch_request_create,
    dispatch_request_transition,
)

ACTORS = ("dispatcher", "crew", "other_host")


def _allowed(source: str, to: str, actor: str) -> bool:
    if to not in TRANSITIONS[source]:
        return False
    if actor == "dispatcher":
        return True
    return actor == "crew" and to in HOST_STEPS


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("to", State.values)
@pytest.mark.parametrize("source", State.values)
def test_transition_matrix(persona, car, other_car, source, to, actor):
    """Every state to every state by each kind of actor: exactly the allowed steps happen, each
    as one step row, and a refused one changes nothing."""
    chief = persona("chief")
    request = request_in(source, by=chief, shift=car)
    by = {"dispatcher": chief, "crew": persona("host"), "other_host": persona("other_host")}[actor]
    options = {}
    if to == State.DISPATCHED:
        options["shift"] = other_car if request.shift_id == car.pk else car
    if to == State.CLEARED:
        options["outcome"] = Outcome.NOTHING_FOUND
    before = request.version
    if _allowed(source, to, actor):
        step_row, created = dispatch_request_transition(
            request=request, by=by, to=to, version=before, **options
        )
        assert created
        assert (step_row.from_state, step_row.state, step_row.number) == (source, to, before + 1)
        request.refresh_from_db()
        assert (request.state, request.version) == (to, before + 1)
    else:
        with pytest.raises(ValidationError):
            dispatch_request_transition(request=request, by=by, to=to, version=before, **options)
        request.refresh_from_db()
        assert (request.state, request.version) == (source, before)
        assert request.steps.count() == before


@pytest.mark.parametrize(
    ("number", "to"),
    [(2, State.ON_SCENE), (1, State.CANCELLED)],
    ids=["outside-the-matrix", "number-taken"],
)
def test_database_refuses_a_bad_step(persona, number, to):
    request = make_request(by=persona("chief"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DispatchStep.objects.create(
            request=request, number=number, from_state=State.REQUESTED, state=to,
            by=persona("chief"),
        )  # fmt: skip


def test_step_rows_are_the_history_with_who_and_when(persona, car):
    chief, host = persona("chief"), persona("host")
    request = request_in(State.ON_SCENE, by=chief, shift=car)
    step(request, by=host, to=State.CLEARED, outcome=Outcome.HANDLED)
    rows = list(request.steps.values_list("number", "from_state", "state", "by__username"))
    assert rows == [
        (1, "", "requested", "chef"),
        (2, "requested", "dispatched", "chef"),
        (3, "dispatched", "acknowledged", "chef"),
        (4, "acknowledged", "on_scene", "chef"),
        (5, "on_scene", "cleared", "vard1"),
    ]
    request.refresh_from_db()
    assert (request.outcome, request.shift) == (Outcome.HANDLED, car)


def test_an_out_of_date_version_is_refused_with_who_got_there_first(persona, car, other_car):
    chief = persona("chief")
    request = make_request(by=chief)
    step(request, by=chief, to=State.DISPATCHED, shift=car)
    with pytest.raises(ValidationError) as refused:
        dispatch_request_transition(
            request=request, by=chief, to=State.DISPATCHED, version=1, shift=other_car
        )
    message = refused.value.messages[0]
    assert "hann före" in message
    assert "Trygghetsbil 1" in message
    assert refused.value.error_list[0].code == "changed"


def test_a_resent_tap_makes_one_step(persona, car):
    chief, host = persona("chief"), persona("host")
    request = request_in(State.DISPATCHED, by=chief, shift=car)
    key = uuid.uuid4()
    first, created = dispatch_request_transition(
        request=request, by=host, to=State.ACKNOWLEDGED, version=2, client_key=key
    )
    again, created_again = dispatch_request_transition(
        request=request, by=host, to=State.ACKNOWLEDGED, version=2, client_key=key
    )
    assert created and not created_again
    assert first == again
    assert request.steps.count() == 3


def test_host_cannot_act_after_the_car_was_swapped(persona, car, other_car):
    chief, host = persona("chief"), persona("host")
    request = request_in(State.DISPATCHED, by=chief, shift=car)
    step(request, by=chief, to=State.DISPATCHED, shift=other_car)
    with pytest.raises(ValidationError, match="inte din bils"):
        step(request, by=host, to=State.ACKNOWLEDGED)


def test_host_cannot_act_after_the_shift_ended(persona, car):
    chief, host = persona("chief"), persona("host")
    request = request_in(State.DISPATCHED, by=chief, shift=car)
    car.state = ShiftState.CLOSED
    car.actual_end = timezone.now()
    car.save()
    with pytest.raises(ValidationError, match="Ditt pass har slutat"):
        step(request, by=host, to=State.ACKNOWLEDGED)
    # The dispatcher puts it back in the queue.
    step(request, by=chief, to=State.REQUESTED)
    request.refresh_from_db()
    assert request.shift is None


def test_only_a_running_shift_can_be_sent(persona, car):
    car.state = ShiftState.CLOSED
    car.actual_end = timezone.now()
    car.save()
    request = make_request(by=persona("chief"))
    with pytest.raises(ValidationError, match="är inte i tjänst"):
        step(request, by=persona("chief"), to=State.DISPATCHED, shift=car)


def test_clearing_needs_an_outcome(persona, car):
    request = request_in(State.ON_SCENE, by=persona("chief"), shift=car)
    with pytest.raises(ValidationError, match="Välj hur det slutade"):
        step(request, by=persona("host"), to=State.CLEARED)


def test_only_a_dispatcher_creates(persona):
    with pytest.raises(ValidationError):
        make_request(by=persona("host"))
    assert not DispatchRequest.objects.exists()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"what": "  "}, "what"),
        ({"source": "gossip"}, "source"),
        ({"priority": 7}, "priority"),
        ({"latitude": 40.0, "longitude": 16.5}, "latitude"),
        ({"latitude": 59.6, "longitude": None}, "latitude"),
    ],
)
def test_bad_input_is_refused_by_field_and_saves_nothing(persona, car, options, field):
    with pytest.raises(ValidationError) as refused:
        make_request(by=persona("chief"), shift=car, **options)
    assert field in refused.value.message_dict
    assert not DispatchRequest.objects.exists()
    assert not DispatchStep.objects.exists()


def test_create_and_send_at_once(persona, car, area):
    request = make_request(by=persona("chief"), shift=car, priority=1)
    assert (request.state, request.version, request.shift) == (State.DISPATCHED, 2, car)
    assert request.area == area


def test_a_resent_form_makes_one_request(persona):
    key = uuid.uuid4()
    first = make_request(by=persona("chief"), client_key=key)
    again = make_request(by=persona("chief"), client_key=key)
    assert first == again
    assert DispatchRequest.objects.count() == 1


def test_a_property_alarm_goes_to_the_building(persona):
    school = PropertyFactory(
        name="Vallbyskolan",
        address="Skolgatan 3",
        latitude=Decimal("59.6123"),
        longitude=Decimal("16.5411"),
    )
    request, _created = dispatch_request_create(
        by=persona("chief"), what="Öppen dörr", source=Source.PROPERTY_ALARM, property=school
    )
    assert (float(request.latitude), float(request.longitude)) == (59.6123, 16.5411)
    assert request.place_text == "Skolgatan 3"


def test_a_citizen_contact_is_sent_once_at_a_time(persona, car):
    contact = CitizenContactFactory(category=category("crowd"))
    chief = persona("chief")
    make_request(by=chief, source=Source.CITIZEN_CONTACT, citizen_contact=contact)
    with pytest.raises(ValidationError, match="redan på väg"):
        make_request(by=chief, source=Source.CITIZEN_CONTACT, citizen_contact=contact)
    with pytest.raises(ValidationError):
        make_request(by=chief, source=Source.PARTNER, citizen_contact=contact)


def test_clear_as_incident_logs_it_through_incidents_and_links_the_contact(persona, car, area):
    chief, host = persona("chief"), persona("host")
    contact = CitizenContactFactory(category=category("crowd"), recorded_by=host, shift=car)
    request = request_in(
        State.ON_SCENE,
        by=chief,
        shift=car,
        source=Source.CITIZEN_CONTACT,
        citizen_contact=contact,
        place_text="Busshållplatsen Centrum",
    )
    key = uuid.uuid4()
    clear = {
        "request": request,
        "by": host,
        "version": request.version,
        "category": category("crowd"),
        "description": "Ett tjugotal ungdomar, lugnade ner sig efter samtal.",
        "client_key": key,
    }
    step_row, incident = dispatch_request_clear_as_incident(**clear)
    assert step_row.outcome == Outcome.INCIDENT
    assert incident.shift == car
    assert incident.reported_by == host
    assert incident.area == area
    assert float(incident.latitude) == HERE["latitude"]
    assert incident.place_text == "Busshållplatsen Centrum"
    assert incident.source == IncidentSource.CITIZEN_CALL
    request.refresh_from_db()
    assert (request.state, request.incident) == (State.CLEARED, incident)
    contact.refresh_from_db()
    assert (contact.outcome, contact.incident) == (ContactOutcome.BECAME_INCIDENT, incident)
    # Resent over a bad connection: the same incident, no second step.
    assert dispatch_request_clear_as_incident(**clear) == (step_row, incident)
    assert Incident.objects.count() == 1


def test_clear_as_incident_is_all_or_nothing(persona, car):
    """The incident is not kept when the call-out changed meanwhile."""
    chief, host = persona("chief"), persona("host")
    request = request_in(State.ON_SCENE, by=chief, shift=car)
    with pytest.raises(ValidationError, match="hann före"):
        dispatch_request_clear_as_incident(
            request=request, by=host, version=request.version - 1, category=category("crowd")
        )
    assert not Incident.objects.exists()
    request.refresh_from_db()
    assert request.state == State.ON_SCENE


def test_clear_as_incident_is_the_crews(persona, car):
    request = request_in(State.ON_SCENE, by=persona("chief"), shift=car)
    with pytest.raises(ValidationError, match="bilens besättning"):
        dispatch_request_clear_as_incident(
            request=request, by=persona("chief"), version=request.version, category=category()
        )


def test_a_cleared_call_out_answers_its_citizen_contact(persona, car):
    chief = persona("chief")
    contact = CitizenContactFactory()
    request = request_in(
        State.ON_SCENE, by=chief, shift=car, source=Source.CITIZEN_CONTACT, citizen_contact=contact
    )
    step(request, by=persona("host"), to=State.CLEARED, outcome=Outcome.HANDLED)
    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.HANDLED


def test_a_referral_waits_for_the_host_to_say_where_it_went(persona, car):
    contact = CitizenContactFactory()
    request = request_in(
        State.ON_SCENE,
        by=persona("chief"),
        shift=car,
        source=Source.CITIZEN_CONTACT,
        citizen_contact=contact,
    )
    step(request, by=persona("host"), to=State.CLEARED, outcome=Outcome.REFERRED)
    contact.refresh_from_db()
    assert (contact.outcome, contact.referred_to) == ("", "")


def test_a_contact_already_answered_is_left_alone(persona, car):
    contact = CitizenContactFactory(outcome=ContactOutcome.REFERRED_112)
    request = request_in(
        State.ON_SCENE,
        by=persona("chief"),
        shift=car,
        source=Source.CITIZEN_CONTACT,
        citizen_contact=contact,
    )
    step(request, by=persona("host"), to=State.CLEARED, outcome=Outcome.HANDLED)
    assert CitizenContact.objects.get().outcome == ContactOutcome.REFERRED_112
