import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from incidents import services
from incidents.models import (
    CallOutcome,
    Category,
    ContactOutcome,
    Escalation,
    FollowUp,
    FollowUpState,
    Incident,
    IncidentVersion,
    NightButtonCall,
    Service,
    ServiceNumber,
)
from incidents.selectors import incident_history
from patrols.models import ShiftState
from tests.incidents.factories import IncidentFactory, category
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift

IN_CENTRUM = {"latitude": Decimal("59.61"), "longitude": Decimal("16.54")}


def log(host, **options):
    options.setdefault("category", category("graffiti"))
    return services.incident_create(by=host, **options)


def test_incident_gets_the_area_of_its_position(persona, shift, area):
    incident, created = log(persona("host"), **IN_CENTRUM)
    assert created
    assert incident.area == area
    assert incident.shift == shift
    assert incident.severity == category("graffiti").default_severity


def test_without_position_the_picked_area_is_kept(persona, shift, area):
    picked = AreaFactory()
    incident, _ = log(persona("host"), area=picked)
    assert incident.area == picked
    assert incident.latitude is None


def test_position_outside_every_area_has_no_area(persona, shift, area):
    incident, _ = log(persona("host"), latitude=Decimal("57.7"), longitude=Decimal("11.97"))
    assert incident.area is None


def test_long_phone_coordinates_are_rounded_to_six_decimals(persona, shift):
    incident, _ = log(persona("host"), latitude=59.6123456789, longitude=16.5412345678)
    assert incident.latitude == Decimal("59.612346")


@pytest.mark.parametrize(
    ("lat", "lon"), [(Decimal("48.85"), Decimal("2.35")), (Decimal("59.6"), Decimal("30.0"))]
)
def test_position_outside_sweden_is_refused_and_nothing_saved(persona, shift, lat, lon):
    with pytest.raises(ValidationError) as error:
        log(persona("host"), latitude=lat, longitude=lon)
    assert "utanför Sverige" in str(error.value)
    assert not Incident.objects.exists()


def test_half_a_position_is_refused(persona, shift):
    with pytest.raises(ValidationError):
        log(persona("host"), latitude=Decimal("59.6"))


def test_a_time_more_than_a_few_minutes_ahead_is_refused(persona, shift):
    with pytest.raises(ValidationError, match="framtiden"):
        log(persona("host"), occurred_at=timezone.now() + timedelta(minutes=6))
    incident, _ = log(persona("host"), occurred_at=timezone.now() + timedelta(minutes=4))
    assert incident.pk


def test_an_inactive_category_is_refused(persona, shift):
    retired = category("littering")
    Category.objects.filter(pk=retired.pk).update(active=False)
    retired.refresh_from_db()
    with pytest.raises(ValidationError, match="Okänd kategori"):
        log(persona("host"), category=retired)


def test_another_hosts_shift_is_refused(persona, shift, other_shift):
    with pytest.raises(ValidationError, match="inte ditt"):
        log(persona("host"), shift=other_shift)
    assert not Incident.objects.exists()


def test_a_closed_shift_is_refused(persona):
    closed = make_shift(hosts=[persona("host")], start=timezone.now() - timedelta(days=1))
    closed.state = ShiftState.CLOSED
    closed.save()
    with pytest.raises(ValidationError, match="pågår inte"):
        log(persona("host"), shift=closed)


def test_without_an_active_shift_nothing_is_logged(persona):
    with pytest.raises(ValidationError, match="inget aktivt pass"):
        log(persona("host"))


def test_five_identical_submissions_make_one_incident(persona, shift):
    key = uuid.uuid4()
    results = [log(persona("host"), client_key=key, **IN_CENTRUM) for _ in range(5)]
    assert Incident.objects.count() == 1
    assert [created for _incident, created in results] == [True, False, False, False, False]


def test_another_users_key_is_not_theirs_to_read(persona, shift, other_shift):
    key = uuid.uuid4()
    log(persona("host"), client_key=key)
    with pytest.raises(PermissionDenied):
        log(persona("other_host"), client_key=key)


def test_edit_during_the_shift_is_not_an_amendment(persona, incident):
    services.incident_update(incident=incident, by=persona("host"), description="Rättat")
    (entry,) = incident_history(Incident.objects.get(pk=incident.pk), personal=True)
    assert not entry.amendment
    assert entry.by == persona("host")


def test_edit_after_the_shift_is_an_amendment_keeping_the_original(persona, incident, shift):
    original = incident.description
    shift.state = ShiftState.CLOSED
    shift.actual_end = timezone.now()
    shift.save()
    services.incident_update(incident=incident, by=persona("chief"), description="Ändrad text")
    incident.refresh_from_db()
    assert incident.description == "Ändrad text"
    assert IncidentVersion.objects.get(pgh_obj=incident).description == original
    (entry,) = incident_history(
        Incident.objects.select_related("category", "area", "shift").get(pk=incident.pk),
        personal=True,
    )
    assert entry.amendment
    assert entry.by == persona("chief")
    assert [(c.before, c.after) for c in entry.changes] == [(original, "Ändrad text")]


def test_history_hides_personal_changes_from_those_without_access(persona, incident):
    services.incident_update(
        incident=incident, by=persona("host"), description="Ny text", severity=3
    )
    incident = Incident.objects.select_related("category", "area", "shift").get(pk=incident.pk)
    (entry,) = incident_history(incident, personal=False)
    assert entry.by is None
    assert {c.field for c in entry.changes} == {"allvarlighetsgrad"}


def test_a_follow_up_change_is_not_content_history(persona, incident):
    services.incident_set_state(
        incident=incident, by=persona("chief"), state=FollowUpState.IN_PROGRESS
    )
    assert not IncidentVersion.objects.exists()


def test_moving_the_position_moves_the_area(persona, incident, area):
    services.incident_update(
        incident=incident, by=persona("host"), latitude=Decimal("57.7"), longitude=Decimal("11.97")
    )
    incident.refresh_from_db()
    assert incident.area is None


STATES = list(FollowUpState)
ALLOWED = {
    ("new", "in_progress"),
    ("new", "closed"),
    ("in_progress", "closed"),
    ("closed", "in_progress"),
}


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("target", STATES)
def test_follow_up_transitions(persona, incident, start, target):
    Incident.objects.filter(pk=incident.pk).update(state=start)
    if (start, target) in ALLOWED:
        step = services.incident_set_state(
            incident=incident, by=persona("chief"), state=target, note="Polisen informerad"
        )
        assert step.note == "Polisen informerad"
        assert Incident.objects.get(pk=incident.pk).state == target
    else:
        with pytest.raises(ValidationError):
            services.incident_set_state(incident=incident, by=persona("chief"), state=target)
        assert Incident.objects.get(pk=incident.pk).state == start
        assert not FollowUp.objects.exists()


def test_escalation_takes_its_service_from_the_number(persona, incident):
    number = ServiceNumber.objects.get(number="114 14")
    escalation, created = services.escalation_create(
        incident=incident, by=persona("host"), service_number=number, client_key=uuid.uuid4()
    )
    assert created
    assert escalation.service == Service.POLICE


def test_escalation_arrival_before_the_call_is_refused(persona, incident):
    now = timezone.now()
    with pytest.raises(ValidationError, match="innan"):
        services.escalation_create(
            incident=incident,
            by=persona("host"),
            service=Service.POLICE,
            called_at=now,
            arrived_at=now - timedelta(minutes=1),
        )
    assert not Escalation.objects.exists()


def test_escalation_times_are_editable_afterwards(persona, incident):
    escalation, _ = services.escalation_create(
        incident=incident, by=persona("host"), service=Service.POLICE
    )
    called = timezone.now() - timedelta(minutes=30)
    services.escalation_update(
        escalation=escalation,
        by=persona("host"),
        called_at=called,
        arrived_at=called + timedelta(minutes=12),
        reference="K-123",
    )
    escalation.refresh_from_db()
    assert escalation.arrived_at - escalation.called_at == timedelta(minutes=12)
    assert escalation.reference == "K-123"


def test_contact_that_became_an_incident_needs_the_link(persona, shift):
    with pytest.raises(ValidationError):
        services.citizen_contact_create(
            by=persona("host"), channel="phone", outcome=ContactOutcome.BECAME_INCIDENT
        )


def test_contact_records_the_shift(persona, shift):
    contact, _ = services.citizen_contact_create(
        by=persona("host"), channel="phone", phone_line=shift.phone_line, reason="Oro"
    )
    assert contact.shift == shift
    assert contact.recorded_by == persona("host")


def test_the_incident_a_contact_became_is_linked_once_however_often_it_is_sent(persona, shift):
    host = persona("host")
    contact, _ = services.citizen_contact_create(
        by=host, channel="phone", phone_line=shift.phone_line, reason="Stökigt gäng"
    )
    key = uuid.uuid4()
    for expected in (True, False):
        incident, created = services.incident_create_for_contact(
            contact=contact, by=host, category=category("crowd"), client_key=key
        )
        assert created is expected
    contact.refresh_from_db()
    assert (contact.outcome, contact.incident) == (ContactOutcome.BECAME_INCIDENT, incident)
    assert Incident.objects.count() == 1


def test_no_incident_is_left_when_the_contact_cannot_be_linked(persona, shift, monkeypatch):
    host = persona("host")
    contact, _ = services.citizen_contact_create(
        by=host, channel="phone", phone_line=shift.phone_line, reason="Oro"
    )

    def refuse(**_kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(services.contacts, "citizen_contact_update", refuse)
    with pytest.raises(ValidationError):
        services.incident_create_for_contact(contact=contact, by=host, category=category("crowd"))
    assert not Incident.objects.exists()


STOCKHOLM = timezone.get_default_timezone()


def local(*args):
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("moment", "outside"),
    [
        (local(2026, 11, 27, 20, 59), True),
        (local(2026, 11, 27, 21, 0), False),
        (local(2026, 11, 28, 0, 0), False),
        (local(2026, 11, 28, 1, 59), False),
        (local(2026, 11, 28, 2, 0), True),
        # Spring forward (29 March 2026): 02:00 becomes 03:00; the window still ends at 02:00.
        (local(2026, 3, 29, 1, 59), False),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), True),  # 03:00 CEST, just after the gap
        # Fall back (25 October 2026): 02:00–03:00 happens twice; 02:00 closes the window.
        (local(2026, 10, 25, 1, 59), False),
        (datetime(2026, 10, 25, 0, 0, tzinfo=UTC), True),  # the first 02:00 (CEST)
        (datetime(2026, 10, 24, 19, 0, tzinfo=UTC), False),  # 21:00 CEST, the evening before
    ],
)
def test_night_button_window(persona, moment, outside):
    with time_machine.travel(moment, tick=False):
        shift = make_shift(hosts=[persona("host")], active=True, phone_line=PhoneLineFactory())
        call, _ = services.night_button_call_start(by=persona("host"), client_key=uuid.uuid4())
    assert call.outside_hours is outside
    assert call.phone_line == shift.phone_line


def test_night_button_hours_are_a_setting(persona, settings):
    settings.NIGHT_BUTTON_HOURS = "18:00-23:00"
    with time_machine.travel(local(2026, 11, 27, 19, 0), tick=False):
        make_shift(hosts=[persona("host")], active=True, phone_line=PhoneLineFactory())
        call, _ = services.night_button_call_start(by=persona("host"))
    assert not call.outside_hours


def test_one_call_at_a_time_per_line(persona, shift):
    services.night_button_call_start(by=persona("host"))
    with pytest.raises(ValidationError, match="pågår redan"):
        services.night_button_call_start(by=persona("host"))
    assert NightButtonCall.objects.count() == 1


def test_ending_a_call_records_the_outcome_once(persona, shift):
    call, _ = services.night_button_call_start(by=persona("host"))
    ended = services.night_button_call_end(call=call, by=persona("host"), outcome="arrived")
    again = services.night_button_call_end(call=call, by=persona("host"), outcome="dropped")
    assert ended.outcome == again.outcome == CallOutcome.ARRIVED
    assert again.ended_at == ended.ended_at


def test_a_shift_without_line_uses_the_line_chosen(persona):
    make_shift(hosts=[persona("host")], active=True)
    with pytest.raises(ValidationError, match="telefonlinje"):
        services.night_button_call_start(by=persona("host"))
    line = PhoneLineFactory()
    call, _ = services.night_button_call_start(by=persona("host"), phone_line=line)
    assert call.phone_line == line


def test_a_bulk_loaded_incident_keeps_its_original_on_first_change(persona, shift):
    # No history row is written on insert (bulk loads stay fast); the first change stores
    # the row as it was.
    Incident.objects.bulk_create([IncidentFactory.build(reported_by=persona("host"))])
    incident = Incident.objects.get()
    services.incident_update(incident=incident, by=persona("chief"), description="Ny")
    assert IncidentVersion.objects.get().description == "PERSONUPPGIFT beskrivning"


def test_a_host_logs_times_of_the_running_shift_or_the_last_hours(persona, shift):
    march = timezone.now() - timedelta(days=60)
    with pytest.raises(ValidationError) as caught:
        services.incident_create(
            by=persona("host"), category=category("graffiti"), occurred_at=march
        )
    assert "occurred_at" in caught.value.error_dict
    incident, _created = services.incident_create(
        by=persona("host"),
        category=category("graffiti"),
        occurred_at=timezone.now() - timedelta(hours=3),
    )
    assert incident.pk


def test_an_old_incident_keeps_its_time_when_a_host_amends_its_text(persona, shift):
    old = IncidentFactory(
        reported_by=persona("host"), shift=shift, occurred_at=timezone.now() - timedelta(days=60)
    )
    services.incident_update(
        incident=old,
        by=persona("host"),
        occurred_at=old.occurred_at.replace(second=0, microsecond=0),
        description="Rättat",
    )
    with pytest.raises(ValidationError):
        services.incident_update(
            incident=old, by=persona("host"), occurred_at=old.occurred_at - timedelta(days=1)
        )
    # The chief corrects older times; the history keeps them as amendments.
    services.incident_update(
        incident=old, by=persona("chief"), occurred_at=old.occurred_at - timedelta(days=1)
    )
