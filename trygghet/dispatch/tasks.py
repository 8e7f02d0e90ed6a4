"""Dispatch's background job: the phones' positions are deleted once past their time."""

from procrastinate.contrib.django import app

from trygghet.core.schedule import HOUSEKEEPING_RETRY
from trygghet.dispatch.services import position_purge


@app.periodic(cron="*/5 * * * *")
@app.task(retry=HOUSEKEEPING_RETRY, queueing_lock="position_purge_periodic")
def position_purge_periodic(timestamp: int) -> None:
    """Every five minutes: a position is kept an hour, so it never lives much longer,
    even when no phone reports (recording a position purges too)."""
    position_purge()
