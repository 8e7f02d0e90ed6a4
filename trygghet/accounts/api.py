from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from trygghet.accounts.permissions import CapabilityPermission, departments_for_user
from trygghet.accounts.policy import Capability, sees_contact_details
from trygghet.accounts.serializers import (
    DepartmentContactSerializer,
    DepartmentSerializer,
    MeSerializer,
)
from trygghet.core.drf import role_shapes


class MeView(APIView):
    """Who the request is authenticated as, and what they may do."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    list=extend_schema(
        responses=role_shapes(DepartmentSerializer, DepartmentContactSerializer, many=True)
    ),
    retrieve=extend_schema(
        responses=role_shapes(DepartmentSerializer, DepartmentContactSerializer)
    ),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The contact e-mail address only for the municipality's own staff."""

    serializer_class = DepartmentSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
    ordering = "name"

    def get_serializer_class(self):
        if sees_contact_details(self.request.user):
            return DepartmentContactSerializer
        return DepartmentSerializer

    def get_queryset(self):
        return departments_for_user(self.request.user).order_by("name", "id")


routes = [("departments", DepartmentViewSet, "department")]
