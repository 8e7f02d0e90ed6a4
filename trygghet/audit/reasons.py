"""Why a record is opened: the reason asked before showing an incident or a citizen contact
outside the reader's own work.

The rule (`reason_required`): the chief (who follows up everything) is never asked; a host is
asked for a record that is not from their own shift, and everyone but the chief for a record
older than AUDIT_REASON_AFTER_DAYS. A reason given is kept in the session for that one record
for AUDIT_REASON_REMEMBER_MINUTES, so reloading the page or opening its photos does not ask
again; every read still writes its own row, each with the reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone

from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can
from trygghet.audit.forms import ReasonForm

SESSION_KEY = "audit_reasons"


def reason_required(user: User, *, moment: datetime, own: bool) -> bool:
    """`moment` is when the record happened, `own` whether it is from the user's own shift."""
    if can(user, Capability.MANAGE_INCIDENTS):
        return False
    if can(user, Capability.WORK_SHIFTS) and not own:
        return True
    return moment < timezone.now() - timedelta(days=settings.AUDIT_REASON_AFTER_DAYS)


def _key(subject: models.Model) -> str:
    return f"{subject._meta.label_lower}:{subject.pk}"


def remembered_reason(request, subject: models.Model) -> tuple[str, str]:
    """The reason and its note given for `subject` in this session, while still fresh."""
    session = getattr(request, "session", None)
    if session is None:
        return "", ""
    kept = session.get(SESSION_KEY, {}).get(_key(subject))
    if not kept or datetime.fromisoformat(kept["until"]) <= timezone.now():
        return "", ""
    return kept["reason"], kept["note"]


def _remember(request, subject: models.Model, reason: str, note: str) -> None:
    now = timezone.now()
    until = now + timedelta(minutes=settings.AUDIT_REASON_REMEMBER_MINUTES)
    kept = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if datetime.fromisoformat(value["until"]) > now
    }
    kept[_key(subject)] = {"reason": reason, "note": note, "until": until.isoformat()}
    request.session[SESSION_KEY] = kept


def answers_reason(request) -> bool:
    """Whether the request is the reason's form being sent (not the page's own form)."""
    return request.method == "POST" and ReasonForm.FIELD in request.POST


def ask_reason(request, subject: models.Model, *, required: bool):
    """None when the page may be shown; otherwise the answer to send instead: the reason's
    form (which shows nothing of the record), or after a valid reason a redirect back to the
    page, which then shows it."""
    if not required or remembered_reason(request, subject)[0]:
        return None
    if answers_reason(request):
        form = ReasonForm(request.POST, prefix=ReasonForm.PREFIX)
        if form.is_valid():
            _remember(request, subject, form.cleaned_data["reason"], form.cleaned_data["note"])
            return redirect(request.get_full_path())
        status = 400
    else:
        form = ReasonForm(prefix=ReasonForm.PREFIX)
        status = 200
    return render(request, "audit/reason.html", {"form": form}, status=status)
