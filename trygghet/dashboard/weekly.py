"""The weekly lägesbild by e-mail: every Monday morning, the EST week that just ended to the
security chiefs and to the users who asked for it. Each reader gets the figures their own
lägesbild page shows them (the same selector, scoped to them): partners only the figures of
their scope, never a person's data, as on their pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability, can
from trygghet.core.mail import absolute_url, send_once
from trygghet.core.periods import Period, PeriodKind, period
from trygghet.dashboard import selectors
from trygghet.dashboard.selectors import Filters


def is_chief(user: User) -> bool:
    return not user.is_superuser and can(user, Capability.PLAN_PATROLS)


def gets_weekly(user: User) -> bool:
    """The chiefs, and whoever subscribed and may read the lägesbild (a subscription outlives
    a role taken away, and then sends nothing); only active users with an address."""
    return (
        user.is_active
        and bool(user.email)
        and (is_chief(user) or (user.lagesbild_email and can(user, Capability.VIEW_LAGESBILD)))
    )


def weekly_recipients() -> list[User]:
    users = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    return [user for user in users if gets_weekly(user)]


def week_ending(night: date) -> Period:
    return period(PeriodKind.WEEK, on=night)


def mail_key(user: User, week: Period) -> str:
    return f"weekly-lagesbild:{week.whole.first.isoformat()}:{user.pk}"


def weekly_message(user: User, week: Period) -> EmailMultiAlternatives:
    figures = selectors.lagesbild(
        user=user, period=week, filters=Filters(), areas=selectors.area_choices(user)
    )
    query = urlencode({"period": PeriodKind.WEEK.value, "on": week.whole.last.isoformat()})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Lägesbild: {period}").format(period=week.label())
        context = {
            "subject": subject,
            "figures": figures,
            "report_url": absolute_url(f"{reverse('dashboard:report')}?{query}"),
        }
        text = render_to_string("dashboard/email/weekly.txt", context)
        html = render_to_string("dashboard/email/weekly.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def weekly_send(*, user_id: int, night: date) -> bool:
    """The week of `night` to one reader, once; False when they no longer get it."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not gets_weekly(user):
        return False
    week = week_ending(night)
    return send_once(key=mail_key(user, week), message=weekly_message(user, week))
