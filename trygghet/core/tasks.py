"""The foundation's background job: retention, every night."""

from datetime import datetime

from django.core.management import call_command

from trygghet.core.schedule import HOUSEKEEPING_RETRY, local_periodic


@local_periodic(hour=4, retry=HOUSEKEEPING_RETRY)
def retention_nightly(at: datetime) -> None:
    """The retention command as an operator runs it (each app's step, in one transaction),
    at 04:00 local time, when the night's shifts are over."""
    call_command("retention")
