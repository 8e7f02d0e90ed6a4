from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from patrols.models import ShiftState
from tests.patrols.factories import make_shift
from trygghet.dispatch.models import Position
from trygghet.dispatch.services import position_forget, position_purge, position_record

HERE = {"latitude": 59.611, "longitude": 16.541}


@pytest.fixture(autouse=True)
def _an_hour(settings):
    settings.DISPATCH_POSITION_RETENTION_MINUTES = 60


def _at(shift, host, minutes_ago: int) -> Position:
    return Position.objects.create(
        shift=shift,
        host=host,
        latitude=59.61,
        longitude=16.54,
        recorded_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _close(shift, minutes_ago: int) -> None:
    shift.state = ShiftState.CLOSED
    shift.actual_end = timezone.now() - timedelta(minutes=minutes_ago)
    shift.save()


def test_records_on_the_hosts_active_shift(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], active=True)
    position = position_record(host=host, accuracy=12, **HERE)
    assert (position.shift, position.host, position.accuracy) == (shift, host, 12)


def test_no_position_without_an_active_shift(persona):
    host = persona("host")
    make_shift(hosts=[host])  # planned, not started
    with pytest.raises(ValidationError, match="inget pågående pass"):
        position_record(host=host, **HERE)
    assert not Position.objects.exists()


def test_a_position_outside_sweden_is_refused(persona):
    host = persona("host")
    make_shift(hosts=[host], active=True)
    with pytest.raises(ValidationError, match="utanför Sverige"):
        position_record(host=host, latitude=48.85, longitude=2.35)


def test_an_active_shift_keeps_the_last_hour_and_its_newest(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=5), active=True)
    old, recent = _at(shift, host, 90), _at(shift, host, 30)
    assert position_purge() == 1
    assert list(Position.objects.all()) == [recent]
    assert not Position.objects.filter(pk=old.pk).exists()


def test_the_newest_stays_while_the_shift_is_active_however_old(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=5), active=True)
    _at(shift, host, 200)
    newest = _at(shift, host, 150)
    position_purge()
    assert list(Position.objects.all()) == [newest]


def test_an_ended_shift_keeps_its_newest_for_the_retention_time(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=6), active=True)
    _at(shift, host, 100)
    newest = _at(shift, host, 70)
    _close(shift, minutes_ago=30)
    position_purge()
    assert list(Position.objects.all()) == [newest]
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        position_purge()
    assert not Position.objects.exists()


def test_recording_purges_on_the_way(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=5), active=True)
    _at(shift, host, 120)
    position_record(host=host, **HERE)
    assert Position.objects.count() == 1


def test_switching_sharing_off_deletes_the_hosts_positions(persona):
    host, other = persona("host"), persona("other_host")
    shift = make_shift(hosts=[host, other], active=True)
    _at(shift, host, 1)
    theirs = _at(shift, other, 1)
    assert position_forget(host=host) == 1
    assert list(Position.objects.all()) == [theirs]


def test_purge_command_with_dry_run_deletes_nothing(persona):
    host = persona("host")
    shift = make_shift(hosts=[host], start=timezone.now() - timedelta(hours=8), active=True)
    _at(shift, host, 300)
    _at(shift, host, 200)
    _close(shift, minutes_ago=90)
    out = StringIO()
    call_command("purge_positions", "--dry-run", stdout=out)
    assert "2" in out.getvalue()
    assert Position.objects.count() == 2
    call_command("purge_positions", stdout=out)
    assert not Position.objects.exists()
    call_command("purge_positions", stdout=out)  # again: nothing to do, no error
