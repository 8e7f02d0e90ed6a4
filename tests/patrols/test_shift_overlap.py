from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from patrols.models import Shift, ShiftHost
from tests.patrols.factories import make_shift

FRIDAY_21 = datetime(2026, 11, 27, 21, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def test_database_refuses_a_host_on_overlapping_shifts(persona):
    host = persona("host")
    first = make_shift(hosts=[host], start=FRIDAY_21)
    second = Shift.objects.create(
        planned_start=first.planned_start, planned_end=first.planned_end, period=first.period
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftHost.objects.create(
            shift=second,
            host=host,
            period=DateTimeTZRange(FRIDAY_21, FRIDAY_21 + timedelta(hours=1)),
        )


def test_service_turns_the_overlap_into_a_clear_error_and_saves_nothing(persona):
    host = persona("host")
    make_shift(hosts=[host], start=FRIDAY_21)
    with pytest.raises(ValidationError, match="två pass samtidigt"):
        make_shift(hosts=[persona("other_host"), host], start=FRIDAY_21 + timedelta(hours=5))
    assert Shift.objects.count() == 1


def test_back_to_back_shifts_are_allowed(persona):
    host = persona("host")
    make_shift(hosts=[host], start=FRIDAY_21, hours=6)
    make_shift(hosts=[host], start=FRIDAY_21 + timedelta(hours=6))
    assert Shift.objects.count() == 2


def test_cancelled_shifts_do_not_block(persona):
    host = persona("host")
    first = make_shift(hosts=[host], start=FRIDAY_21)
    ShiftHost.objects.filter(shift=first).update(cancelled=True)
    make_shift(hosts=[host], start=FRIDAY_21)


def test_two_hosts_share_a_shift(persona):
    shift = make_shift(hosts=[persona("host"), persona("other_host")], start=FRIDAY_21)
    assert shift.hosts.count() == 2


def test_active_shift_for_finds_only_the_hosts_active_shift(persona):
    from patrols.selectors import active_shift_for

    host = persona("host")
    make_shift(hosts=[host], start=FRIDAY_21 - timedelta(days=1))
    active = make_shift(hosts=[host], start=FRIDAY_21, active=True)
    assert active_shift_for(host) == active
    assert active_shift_for(persona("other_host")) is None
