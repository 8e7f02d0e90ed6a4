"""Two people acting on one call-out at the same moment, on two database connections: the row
lock and the version make exactly one of them win; the other is told who got there first."""

import threading

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection

from tests.dispatch.factories import make_request
from tests.patrols.factories import VehicleFactory, make_shift
from trygghet.dispatch.models import DispatchStep, State
from trygghet.dispatch.services import dispatch_request_transition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(*calls):
    """Run the calls in threads released at once; each returns ("won", step) or ("lost", msg)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("won", call())
        except ValidationError as error:
            results[index] = ("lost", " ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_dispatchers_send_two_cars_and_exactly_one_wins(persona):
    chief = persona("chief")
    dispatcher = persona("host")  # a host given the dispatch capability in the admin
    dispatcher.user_permissions.add(_dispatch_permission())
    first = make_shift(
        hosts=[persona("other_host")], active=True, vehicle=VehicleFactory(name="Trygghetsbil 1")
    )
    second = make_shift(hosts=[dispatcher], active=True, vehicle=VehicleFactory(name="Bil 2"))
    request = make_request(by=chief)

    def send(by, shift):
        return lambda: dispatch_request_transition(
            request=request, by=by, to=State.DISPATCHED, version=1, shift=shift
        )

    results = _race(send(chief, first), send(dispatcher, second))

    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["lost", "won"]
    lost = next(value for kind, value in results if kind == "lost")
    assert "hann före" in lost
    assert DispatchStep.objects.filter(request=request, state=State.DISPATCHED).count() == 1
    request.refresh_from_db()
    assert (request.state, request.version) == (State.DISPATCHED, 2)


def test_two_hosts_in_one_car_acknowledge_at_once_and_one_step_is_made(persona):
    chief = persona("chief")
    car = make_shift(hosts=[persona("host"), persona("other_host")], active=True)
    request = make_request(by=chief, shift=car)

    def acknowledge(by):
        return lambda: dispatch_request_transition(
            request=request, by=by, to=State.ACKNOWLEDGED, version=2
        )

    results = _race(acknowledge(persona("host")), acknowledge(persona("other_host")))

    assert sorted(kind for kind, _value in results) == ["lost", "won"]
    assert DispatchStep.objects.filter(request=request, state=State.ACKNOWLEDGED).count() == 1


def _dispatch_permission():
    return Permission.objects.get(content_type__app_label="accounts", codename="dispatch")
