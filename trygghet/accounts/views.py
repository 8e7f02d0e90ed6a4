from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from ua_parser import parse as parse_user_agent

from trygghet.accounts.forms import LoginForm
from trygghet.accounts.models import UserSession
from trygghet.accounts.oidc import oidc_setting, provider_logout_url, sso_enabled
from trygghet.accounts.permissions import get_other_session_for_user
from trygghet.accounts.services import (
    SignInRefused,
    user_password_changed,
    user_session_end,
    user_sessions_end,
)
from trygghet.accounts.sessions import idle_seconds


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this instead of the login view once the failure limit is reached."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class SignInView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": sso_enabled()}


@require_POST
def sign_out(request):
    """Signs out here, and at the provider too when the person signed in there."""
    at_provider = provider_logout_url(request)
    logout(request)
    return redirect(at_provider or settings.LOGOUT_REDIRECT_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password ends every other session: whoever knew the old one is signed out."""

    def form_valid(self, form):
        before = self.request.session.session_key
        response = super().form_valid(form)
        user_password_changed(
            user=form.user, session_before=before, session_now=self.request.session.session_key
        )
        return response


# --- Single sign-on


class _SignInStart(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)


class _SignInCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        states = request.session.get("oidc_states")
        answered = "code" in request.GET
        if answered and (not isinstance(states, dict) or request.GET.get("state") not in states):
            # A forged or replayed answer, or one to a sign-in started in another browser.
            raise SignInRefused(
                _(
                    "The answer from the sign-in service does not belong to a sign-in started "
                    "in this browser. Start again from the sign-in page."
                )
            )
        return super().get(request)

    def login_failure(self):
        raise SignInRefused(_("The sign-in service did not sign you in."))


def _through_provider(view):
    def wrapped(request):
        if not sso_enabled():
            raise Http404
        try:
            return view(request)
        except SignInRefused as refusal:
            context = {"reason": refusal.message}
            return render(request, "registration/sso_refused.html", context, status=403)

    return wrapped


sso_start = _through_provider(_SignInStart.as_view())
sso_callback = _through_provider(_SignInCallback.as_view())


# --- The user's own sessions


def _device(user_agent: str) -> str:
    parsed = parse_user_agent(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else ""
    system = parsed.os.family if parsed.os else ""
    if browser and system:
        return _("{browser} on {system}").format(browser=browser, system=system)
    return browser or system or _("Unknown device")


@login_required
def session_list(request):
    idle = timedelta(seconds=idle_seconds(request.user))
    sessions = UserSession.objects.live(idle=idle).filter(user=request.user)
    rows = [
        {
            "session": session,
            "device": _device(session.user_agent),
            "current": session.session_key == request.session.session_key,
        }
        for session in sessions
    ]
    return render(request, "accounts/sessions.html", {"rows": rows})


@login_required
@require_POST
def session_end(request, pk: int):
    user_session_end(user_session=get_other_session_for_user(request, pk))
    messages.success(request, _("The session was signed out."))
    return redirect("session-list")


@login_required
@require_POST
def session_end_others(request):
    count = user_sessions_end(user=request.user, keep=request.session.session_key)
    messages.success(
        request,
        ngettext(
            "%(count)d other session was signed out.",
            "%(count)d other sessions were signed out.",
            count,
        )
        % {"count": count},
    )
    return redirect("session-list")
