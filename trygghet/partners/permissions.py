"""Who reports for which organisation: the one place for it.

A partner user reports for their own organisation only (another organisation is a 404); the
security chief reads every organisation's reports and may enter one on its behalf (a report that
came by telephone or e-mail). Nobody else reports.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from trygghet.accounts.models import Organisation, User
from trygghet.accounts.policy import Capability, can
from trygghet.partners.models import WeeklyReport

REPORTERS = (Capability.REPORT_WEEKLY, Capability.REPORT_FOR_ORGANISATIONS)


def reports_for_all(user: User) -> bool:
    return can(user, Capability.REPORT_FOR_ORGANISATIONS)


def organisations_to_report_for(user: User) -> QuerySet[Organisation]:
    """The active organisations the user may report for."""
    active = Organisation.objects.filter(active=True)
    if reports_for_all(user):
        return active
    if can(user, Capability.REPORT_WEEKLY) and user.organisation_id is not None:
        return active.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def get_organisation_to_report_for(user: User, pk: int) -> Organisation:
    return get_object_or_404(organisations_to_report_for(user), pk=pk)


def own_organisation(user: User) -> Organisation:
    """The organisation a partner reports for, or 404 for a partner user without one (an
    account the admin has not finished)."""
    organisation = (
        organisations_to_report_for(user).filter(pk=user.organisation_id).first()
        if user.organisation_id is not None
        else None
    )
    if organisation is None:
        raise Http404
    return organisation


def reports_for_user(user: User) -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.filter(organisation__in=organisations_to_report_for(user))
