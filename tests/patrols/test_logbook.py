"""The car's logbook: the host writes the odometer at the end of the shift, prefilled with the
car's last reading and refused when lower; the kilometres reach the presence figures and the
shifts' CSV."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from patrols.models import ShiftState
from patrols.selectors import kilometres_by_night
from patrols.services import shift_end
from tests.patrols.factories import FRIDAY_21, VehicleFactory, make_shift

SATURDAY_21 = FRIDAY_21 + timedelta(days=1)


@pytest.fixture
def car(db):
    return VehicleFactory(registration="KMV28H", name="Trygghetsbil 1")


def _worked(host, car, start, odometer):
    shift = make_shift(hosts=[host], start=start, active=True, vehicle=car)
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        return shift_end(shift=shift, by=host, summary="Lugnt.", odometer=odometer)


def test_the_kilometres_are_the_difference_from_the_cars_last_reading(persona, car):
    first = _worked(persona("host"), car, FRIDAY_21, 12_000)
    second = _worked(persona("host"), car, SATURDAY_21, 12_084)
    assert (first.odometer_start, first.odometer_end, first.kilometres) == (None, 12_000, None)
    assert (second.odometer_start, second.odometer_end, second.kilometres) == (12_000, 12_084, 84)


def test_a_lower_reading_is_refused_and_the_shift_goes_on(persona, car):
    _worked(persona("host"), car, FRIDAY_21, 12_000)
    shift = make_shift(hosts=[persona("host")], start=SATURDAY_21, active=True, vehicle=car)
    with (
        time_machine.travel(SATURDAY_21 + timedelta(hours=6), tick=False),
        pytest.raises(ValidationError, match="lägre än bilens senaste, 12000 km"),
    ):
        shift_end(shift=shift, by=persona("host"), summary="Lugnt.", odometer=11_999)
    shift.refresh_from_db()
    assert shift.state == ShiftState.ACTIVE and shift.odometer_end is None


def test_the_form_is_prefilled_and_a_lower_reading_is_a_form_error(client_as, persona, car):
    _worked(persona("host"), car, FRIDAY_21, 12_000)
    shift = make_shift(hosts=[persona("host")], start=SATURDAY_21, active=True, vehicle=car)
    url = reverse("patrols:shift-end", args=[shift.pk])
    client = client_as("host")
    with time_machine.travel(SATURDAY_21 + timedelta(hours=5), tick=False):
        page = client.get(url).content.decode()
        assert 'name="odometer" value="12000"' in page
        refused = client.post(url, {"summary": "Lugnt.", "odometer": "11990"})
        assert refused.status_code == 200
        assert "lägre än bilens senaste, 12000 km" in refused.content.decode()
        ended = client.post(url, {"summary": "Lugnt.", "odometer": "12061"})
    assert ended.status_code == 302
    shift.refresh_from_db()
    assert (shift.state, shift.kilometres) == (ShiftState.CLOSED, 61)


def test_a_shift_without_a_car_asks_for_no_reading(client_as, persona):
    shift = make_shift(hosts=[persona("host")], start=FRIDAY_21, active=True)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=1), tick=False):
        page = client_as("host").get(reverse("patrols:shift-end", args=[shift.pk]))
    assert 'name="odometer"' not in page.content.decode()


def test_kilometres_per_night_in_the_figures_and_the_csv(client_as, persona, car):
    _worked(persona("host"), car, FRIDAY_21, 12_000)
    _worked(persona("host"), car, SATURDAY_21, 12_084)
    _worked(persona("other_host"), VehicleFactory(), SATURDAY_21, 500)
    [saturday] = kilometres_by_night(FRIDAY_21.date(), SATURDAY_21.date() + timedelta(days=1))
    assert (str(saturday.night), saturday.shifts, saturday.kilometres) == ("2026-11-28", 1, 84)
    client = client_as("chief")
    figures = client.get("/api/v1/presence/?first=2026-11-27&last=2026-11-28").json()
    assert figures["kilometres"] == 84
    assert figures["kilometres_by_night"] == [
        {"night": "2026-11-28", "shifts": 1, "kilometres": 84}
    ]
    page = client.get(reverse("patrols:presence") + "?first=2026-11-27&last=2026-11-28")
    assert "Körda: 84 km" in page.content.decode()
    export = client.get("/api/v1/shifts/?format=csv&from=2026-11-28&to=2026-11-28")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert sorted((row["odometer_end"], row["kilometres"]) for row in rows) == [
        ("12084", "84"),
        ("500", ""),
    ]
