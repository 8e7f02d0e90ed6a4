from datetime import timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from trygghet.accounts.models import Department, User, UserSession
from trygghet.accounts.policy import Capability, can, department_of
from trygghet.accounts.sessions import idle_seconds


def departments_for_user(user: User) -> QuerySet[Department]:
    """All departments for those who read the property register; a property owner sees their own."""
    if can(user, Capability.VIEW_PROPERTIES):
        return Department.objects.all()
    own = department_of(user)
    return Department.objects.filter(pk=own.pk) if own else Department.objects.none()


class CapabilityPermission(BasePermission):
    """A viewset lists `read_capabilities` and `write_capabilities`; any one of them suffices.

    Object-level rules (own shift, own department) belong in the viewset's get_queryset(),
    through the app's permissions.py, so another's object is a 404.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            capabilities = getattr(view, "read_capabilities", ())
        else:
            capabilities = getattr(view, "write_capabilities", ())
        return any(can(request.user, capability) for capability in capabilities)


def get_other_session_for_user(request, pk: int) -> UserSession:
    """One of the user's own live sessions other than this one, or 404. This session ends by
    signing out."""
    return get_object_or_404(
        UserSession.objects.live(idle=timedelta(seconds=idle_seconds(request.user)))
        .filter(user=request.user)
        .exclude(session_key=request.session.session_key),
        pk=pk,
    )
