"""From the dispatch to the push request leaving the server, with the real worker running as
`make run` runs it (its own connections, woken by LISTEN/NOTIFY): the time each push request
records (`PushDelivery.sent_at - event_at`)."""

import asyncio
import contextlib
import logging
import statistics
import threading
import time

import pytest
from django.db import connections
from procrastinate.contrib.django import app

from tests.dispatch.factories import make_request
from tests.patrols.factories import VehicleFactory, make_shift
from tests.push.conftest import subscribe
from tests.worker import forget_jobs, worker_connector
from trygghet.dispatch.models import State
from trygghet.push.models import PushDelivery

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CALL_OUTS = 5


@pytest.fixture
def worker(monkeypatch):
    """The worker, waiting for jobs in a thread of its own until the test ends."""
    forget_jobs()
    monkeypatch.setattr(app.periodic_registry, "periodic_tasks", {})
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    running: list[asyncio.Task] = []

    async def work() -> None:
        worker_app = app.with_connector(worker_connector())
        async with worker_app.open_async():
            task = asyncio.current_task()
            assert task is not None
            running.append(task)
            started.set()
            await worker_app.run_worker_async(install_signal_handlers=False, wait=True)

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):  # how the test stops it
            loop.run_until_complete(work())
        loop.close()

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(10)
    time.sleep(1)  # the worker has fetched once and listens
    yield
    loop.call_soon_threadsafe(running[0].cancel)
    thread.join(10)
    forget_jobs()


def test_dispatch_to_push_request_with_the_real_worker(
    client_as, persona, vapid, push_service, worker
):
    host, chief = persona("host"), persona("chief")
    car = make_shift(hosts=[host], active=True, vehicle=VehicleFactory(name="Trygghetsbil 1"))
    subscribe(client_as("host"), push_service.phone())

    for number in range(CALL_OUTS):
        request = make_request(by=chief, priority=1, what=f"Utryckning {number}", shift=car)
        dispatched = request.steps.get(state=State.DISPATCHED).at
        deadline = time.monotonic() + 10
        while not PushDelivery.objects.filter(event_at=dispatched).exists():
            assert time.monotonic() < deadline, "no push request within 10 s"
            time.sleep(0.02)
        time.sleep(0.5)

    seconds = sorted(d.delay.total_seconds() for d in PushDelivery.objects.all())
    logging.getLogger(__name__).info(
        "dispatch → push request with the worker: %s s, median %.3f s",
        ", ".join(f"{s:.3f}" for s in seconds),
        statistics.median(seconds),
    )
    assert len(seconds) == CALL_OUTS
    assert max(seconds) <= 5
