from django.db.models import QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission

from trygghet.accounts.models import Department, User
from trygghet.accounts.policy import Capability, can, department_of


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
