"""The real worker and a real mail server in a test.

`run_worker()` runs procrastinate's worker in this process on its own database connections, as
`manage.py procrastinate worker` does, until no job is due; the tests that use it commit their
rows (transactional tests). `SmtpServer` is an SMTP server on 127.0.0.1 (aiosmtpd in a thread)
that can be made to hang.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import cast

from aiosmtpd.controller import Controller
from django.db import connection, connections
from procrastinate.connector import BaseAsyncConnector
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.periodic import PeriodicDeferrer


def worker_connector() -> BaseAsyncConnector:
    """The worker's own connections to the test database, as `manage.py procrastinate` uses."""
    return cast(DjangoConnector, app.connector).get_worker_connector()


def run_worker(monkeypatch) -> None:
    """Run the jobs due, then stop. The periodic deferrer is left out: the tests that are about
    the schedule defer the periodic jobs themselves, at a clock they fix."""
    monkeypatch.setattr(app.periodic_registry, "periodic_tasks", {})
    # The jobs run in a pool of threads, each with its own Django connection; kept open
    # (CONN_MAX_AGE) they would outlive the threads when the worker stops.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with app.replace_connector(worker_connector()):
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def defer_periodic_jobs_due() -> None:
    """What the worker's periodic deferrer does when it wakes at the clock's time: defer each
    periodic task whose time has just come."""
    deferrer = PeriodicDeferrer(registry=app.periodic_registry)

    async def defer() -> None:
        async with app.open_async():
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=time.time()))

    with app.replace_connector(worker_connector()):
        asyncio.run(defer())


def worker_beating() -> None:
    """A worker registered, as a running one is: /healthz/worker answers 200 (the walks over
    every route count a 503 as a failure)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT procrastinate_register_worker_v1()")


def jobs() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, status, attempts, scheduled_at FROM procrastinate_jobs "
            "ORDER BY id"
        )
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def let_backoff_pass() -> None:
    """The wait before each retry is over (the database's clock is the one that counts)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'")


def forget_jobs() -> None:
    """The queue's tables are procrastinate's, not the models': a transactional test's flush
    does not empty them."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute("DELETE FROM procrastinate_periodic_defers")
        cursor.execute("DELETE FROM procrastinate_workers")


class SmtpServer:
    """Accepts every message, or, while `hanging` is set, answers nothing after the greeting
    (as a mail server whose disk or network is stuck)."""

    def __init__(self) -> None:
        self.hanging = threading.Event()
        self.received: list = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_MAIL(self, server, session, envelope, address, options):
        while self.hanging.is_set():
            await asyncio.sleep(0.05)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.hanging.clear()
        self.controller.stop()
