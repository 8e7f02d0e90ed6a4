"""A visit left open too long and a shift going on hours past its end are flagged to the host
and the chief: computed from the rows each time, so they clear when the host acts."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from patrols.services import visit_arrive, visit_leave
from tests.patrols.factories import FRIDAY_21, AreaFactory, make_shift


def _start_page(client):
    return client.get(reverse("start")).content.decode()


def _night(persona):
    """Friday 21:00–03:00; the car arrived in Torget at 21:30 and never left."""
    shift = make_shift(hosts=[persona("host")], start=FRIDAY_21, hours=6, active=True)
    with time_machine.travel(FRIDAY_21 + timedelta(minutes=30), tick=False):
        visit, _ = visit_arrive(shift=shift, area=AreaFactory(name="Torget"), by=persona("host"))
    return shift, visit


def test_an_eleven_hour_visit_and_a_shift_three_hours_over_are_flagged(client_as, persona):
    _shift, visit = _night(persona)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=9), tick=False):
        host = _start_page(client_as("host"))
        chief = _start_page(client_as("chief"))
    assert 'data-flag="overrun"' in host and "skulle sluta 03:00" in host
    assert 'data-flag="long-visit"' in host and "Ni kom till Torget kl. 21:30" in host
    assert 'data-flag="overrun"' in chief and str(persona("host")) in chief
    assert 'data-flag="long-visit"' in chief and "Torget" in chief


def test_nothing_is_flagged_within_the_limits(client_as, persona):
    _night(persona)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=2), tick=False):
        assert "data-patrols-flags" not in _start_page(client_as("host"))
        assert "data-patrols-flags" not in _start_page(client_as("chief"))


def test_the_limits_are_settings(client_as, persona, settings):
    settings.PATROLS_LONG_VISIT_HOURS = 12
    settings.PATROLS_OVERRUN_HOURS = 4
    _night(persona)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=9), tick=False):
        assert "data-patrols-flags" not in _start_page(client_as("host"))


def test_leaving_clears_the_flag(client_as, persona):
    _shift, visit = _night(persona)
    with time_machine.travel(FRIDAY_21 + timedelta(hours=5), tick=False):
        assert 'data-flag="long-visit"' in _start_page(client_as("host"))
        visit_leave(visit=visit, by=persona("host"))
        assert 'data-flag="long-visit"' not in _start_page(client_as("host"))
