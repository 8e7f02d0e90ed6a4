"""Sign-in lockout (django-axes): five wrong passwords lock one username from one client address.

Locking the username alone would let anyone lock a named host out of their shift by typing
their name five times; so an address is locked for every username only after
LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords across usernames, which stops one address from trying
name after name. The address is `client_ip`, the rule the public form's rate limit uses: behind
our HTTPS proxy, the address that proxy saw.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
