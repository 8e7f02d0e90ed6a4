"""The background worker's health, for monitoring beside /healthz: when the worker last said
it is alive (procrastinate's heartbeat in its workers table) and how long the oldest job due
has waited. Either older than WORKER_STALE_SECONDS is a 503: jobs are not being done."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from trygghet.core.unavailable import RETRY_AFTER_SECONDS

# A job waits from its deferral, or from the time a retry was put off to.
WAITING_SQL = """
    SELECT count(*), min(coalesce(jobs.scheduled_at, deferred.at))
    FROM procrastinate_jobs AS jobs
    LEFT JOIN LATERAL (
        SELECT min(events.at) AS at FROM procrastinate_events AS events
        WHERE events.job_id = jobs.id AND events.type = 'deferred'
    ) AS deferred ON true
    WHERE jobs.status = 'todo' AND (jobs.scheduled_at IS NULL OR jobs.scheduled_at <= now())
"""


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def worker_state() -> dict:
    """The heartbeat's and the oldest waiting job's age in seconds, and whether all is well."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(last_heartbeat) FROM procrastinate_workers")
        (heartbeat,) = cursor.fetchone()
        cursor.execute(WAITING_SQL)
        waiting, oldest = cursor.fetchone()
    heartbeat_age, oldest_age = _age(heartbeat, now), _age(oldest, now)
    stale = settings.WORKER_STALE_SECONDS
    healthy = (heartbeat_age is not None and heartbeat_age <= stale) and (
        oldest_age is None or oldest_age <= stale
    )
    return {
        "status": "ok" if healthy else "stale",
        "last_heartbeat": heartbeat.isoformat() if heartbeat else None,
        "heartbeat_age_seconds": heartbeat_age,
        "jobs_waiting": waiting,
        "oldest_job_age_seconds": oldest_age,
        "stale_after_seconds": stale,
    }


@never_cache
def worker_health(request):
    """200 while a worker beats and the queue moves; 503 (with why) when not, or when the
    database does not answer."""
    try:
        state = worker_state()
    except DatabaseError:
        state = {"status": "database unavailable"}
    response = JsonResponse(state, status=200 if state["status"] == "ok" else 503)
    if response.status_code == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
