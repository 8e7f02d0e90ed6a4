"""Shared API pieces for the apps' api.py modules: pagination and capability checks."""

from rest_framework import pagination
from rest_framework.permissions import SAFE_METHODS, BasePermission

from trygghet.accounts.policy import can


class CursorPagination(pagination.CursorPagination):
    """Stable pages over lists that grow while a program reads them."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"


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
