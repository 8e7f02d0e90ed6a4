"""A signed-in session ends SESSION_COOKIE_AGE after sign-in (14 hours, one long night shift),
or sooner after a time without requests: SESSION_IDLE_MINUTES_HOST for safety hosts, whose phones
lie in a pocket between calls, SESSION_IDLE_MINUTES_DESK for everyone else.

Every request counts as activity, the pages' own refreshes too: the dispatch board and the crew's
call-out list poll while they are open and must keep working through the night.

Each session is noted (a UserSession) for its owner's sessions page: the device, the client's
address and, at most once a minute like LAST_SEEN, the last activity.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from trygghet.accounts.models import UserSession
from trygghet.accounts.policy import start_page_kind
from trygghet.accounts.services import user_session_start, user_session_touch
from trygghet.core.ratelimit import client_ip

LAST_SEEN = "last_seen"
IDLE_SECONDS = "idle_seconds"
# Noting the time saves the session; once a minute is precise enough.
NOTE_EVERY_SECONDS = 60


def idle_seconds(user) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_HOST
        if start_page_kind(user) == "host"
        else settings.SESSION_IDLE_MINUTES_DESK
    )
    return minutes * 60


@receiver(user_logged_in)
def _start_the_clocks(sender, request, user, **kwargs):
    now = timezone.now()
    # A fixed end: noting activity saves the session, which would otherwise push its end back.
    request.session.set_expiry(now + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[IDLE_SECONDS] = idle_seconds(user)
    request.session[LAST_SEEN] = now.timestamp()
    user_session_start(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.headers.get("User-Agent", ""),
        address=client_ip(request),
    )


@receiver(user_logged_out)
def _forget_the_session(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


class IdleTimeoutMiddleware:
    """Signs out a session that has been idle too long, before the view sees it; the view then
    treats the request as anonymous (the sign-in page, or a 401/403 from the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request) -> None:
        session = request.session
        now = timezone.now().timestamp()
        limit = session.get(IDLE_SECONDS)
        if limit is None:  # signed in before the idle timeout existed
            limit = session[IDLE_SECONDS] = idle_seconds(request.user)
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > limit:
            logout(request)
            messages.info(
                request,
                _("You were signed out after {minutes} minutes without activity.").format(
                    minutes=limit // 60
                ),
            )
        elif LAST_SEEN not in session or now - last_seen >= NOTE_EVERY_SECONDS:
            session[LAST_SEEN] = now
            user_session_touch(session_key=session.session_key)
