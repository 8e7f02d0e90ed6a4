"""A car and a night-button phone line are exclusive like hosts: the database refuses them on
two overlapping shifts, and the chief and the host get a clear error instead."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from patrols.models import Shift, ShiftState
from patrols.services import shift_cancel, shift_end, shift_start
from tests.patrols.factories import FRIDAY_21, PhoneLineFactory, VehicleFactory, make_shift


@pytest.fixture
def car(db):
    return VehicleFactory(registration="KMV28H", name="Trygghetsbil 1")


@pytest.fixture
def line(db):
    return PhoneLineFactory(number="0700-11 22 33")


@pytest.mark.parametrize("field", ["vehicle", "phone_line"])
def test_database_refuses_a_resource_on_overlapping_shifts(persona, car, line, field):
    resource = {"vehicle": car, "phone_line": line}[field]
    first = make_shift(hosts=[persona("host")], start=FRIDAY_21, **{field: resource})
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(
            planned_start=first.planned_start + timedelta(hours=5),
            planned_end=first.planned_end + timedelta(hours=5),
            period=(first.planned_start + timedelta(hours=5), first.planned_end),
            **{field: resource},
        )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("vehicle", "En bil kan inte vara på två pass samtidigt: Trygghetsbil 1 (KMV28H)"),
        ("phone_line", "En telefonlinje kan inte vara på två pass samtidigt: 0700-11 22 33"),
    ],
)
def test_the_service_names_the_booked_resource_and_saves_nothing(
    persona, car, line, field, message
):
    resource = {"vehicle": car, "phone_line": line}[field]
    make_shift(hosts=[persona("host")], start=FRIDAY_21, **{field: resource})
    with pytest.raises(ValidationError, match=re.escape(message)):
        make_shift(
            hosts=[persona("other_host")],
            start=FRIDAY_21 + timedelta(hours=3),
            **{field: resource},
        )
    assert Shift.objects.count() == 1


def test_back_to_back_and_cancelled_shifts_share_the_car(persona, car):
    first = make_shift(hosts=[persona("host")], start=FRIDAY_21, hours=3, vehicle=car)
    make_shift(hosts=[persona("other_host")], start=FRIDAY_21 + timedelta(hours=3), vehicle=car)
    shift_cancel(shift=first)
    make_shift(hosts=[persona("host")], start=FRIDAY_21, hours=2, vehicle=car)
    assert Shift.objects.exclude(state=ShiftState.CANCELLED).filter(vehicle=car).count() == 2


def test_the_chief_gets_a_form_error_not_a_500(client_as, persona, car):
    make_shift(hosts=[persona("host")], start=FRIDAY_21, vehicle=car)
    response = client_as("chief").post(
        reverse("patrols:shift-create"),
        {
            "day": "2026-11-27",
            "start": "23:00",
            "end": "04:00",
            "hosts": [persona("other_host").pk],
            "vehicle": car.pk,
        },
    )
    assert response.status_code == 200
    assert "En bil kan inte vara på två pass samtidigt" in response.content.decode()
    assert Shift.objects.count() == 1


def test_the_api_answers_400(client_as, persona, line):
    make_shift(hosts=[persona("host")], start=FRIDAY_21, phone_line=line)
    response = client_as("chief").post(
        "/api/v1/shifts/",
        {
            "planned_start": "2026-11-27T23:00:00+01:00",
            "planned_end": "2026-11-28T04:00:00+01:00",
            "hosts": [persona("other_host").pk],
            "phone_line": line.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert "En telefonlinje kan inte vara på två pass samtidigt" in message


def test_a_host_cannot_start_with_a_car_another_shift_has(persona, car):
    make_shift(hosts=[persona("other_host")], start=FRIDAY_21, vehicle=car)
    mine = make_shift(hosts=[persona("host")], start=FRIDAY_21 + timedelta(hours=1))
    with (
        time_machine.travel(FRIDAY_21 + timedelta(hours=1), tick=False),
        pytest.raises(ValidationError, match="Trygghetsbil 1"),
    ):
        shift_start(shift=mine, by=persona("host"), vehicle=car, phone_line=None)
    mine.refresh_from_db()
    assert mine.state == ShiftState.PLANNED and mine.vehicle is None


def test_working_late_into_the_cars_next_shift_is_recorded(persona, car):
    host = persona("host")
    first = make_shift(hosts=[host], start=FRIDAY_21, hours=3, vehicle=car)
    make_shift(hosts=[persona("other_host")], start=FRIDAY_21 + timedelta(hours=3), vehicle=car)
    with time_machine.travel(FRIDAY_21, tick=False):
        shift_start(shift=first, by=host, vehicle=car, phone_line=None)
    late = FRIDAY_21 + timedelta(hours=4)
    with time_machine.travel(late, tick=False):
        shift_end(shift=first, by=host, summary="Sent.", odometer=None)
    first.refresh_from_db()
    assert first.actual_end == late
