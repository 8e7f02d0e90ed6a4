"""Running the queued background jobs inside a test.

`run_queued_jobs()` takes each job due through procrastinate's own SQL (the worker's fetch and
finish) on the test's database connection, so it sees the test's uncommitted rows, and calls the
task in this thread: what the worker would do, without its separate connections. The tests in
tests/core/test_worker.py run the real worker (with committed data) for retries and timing.
"""

import json

from django.db import connection
from procrastinate.contrib.django import app


def run_queued_jobs() -> list[str]:
    """Run every job due, in order; the names of the tasks run. A task's error is raised."""
    ran: list[str] = []
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT id, task_name, args FROM procrastinate_fetch_job_v2(NULL, NULL)")
            job_id, name, args = cursor.fetchone()
            if job_id is None:
                return ran
            # Django leaves JSON as text for its JSONField to read.
            app.tasks[name](**json.loads(args))
            cursor.execute("SELECT procrastinate_finish_job_v1(%s, 'succeeded', false)", [job_id])
            ran.append(name)


def queued_jobs() -> list[tuple[str, dict]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id"
        )
        return [(name, json.loads(args)) for name, args in cursor.fetchall()]
