from django.utils.translation import gettext_lazy
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
from trygghet.core.drf import (
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
    role_shapes,
)
from trygghet.core.exports import Column, Kind


class MeView(KnownQueryParameters, APIView):
    """Who the request is authenticated as, and what they may do."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    list=extend_schema(
        parameters=export_parameters(geojson=False),
        responses=export_responses(
            role_shapes(DepartmentSerializer, DepartmentContactSerializer, many=True),
            geojson=False,
        ),
    ),
    retrieve=extend_schema(
        responses=role_shapes(DepartmentSerializer, DepartmentContactSerializer)
    ),
)
class DepartmentViewSet(KnownQueryParameters, ExportMixin, viewsets.ReadOnlyModelViewSet):
    """The contact e-mail address only for the municipality's own staff."""

    serializer_class = DepartmentSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
    ordering = "name"
    export_name = "forvaltningar"

    def export_columns(self):
        contact = [Column(gettext_lazy("Contact e-mail"), "contact_email")]
        return [
            Column(gettext_lazy("Id"), "id", Kind.INTEGER),
            Column(gettext_lazy("Name"), "name"),
            *(contact if sees_contact_details(self.request.user) else []),
            Column(gettext_lazy("In use"), "active", Kind.BOOLEAN),
        ]

    def get_serializer_class(self):
        if sees_contact_details(self.request.user):
            return DepartmentContactSerializer
        return DepartmentSerializer

    def get_queryset(self):
        return departments_for_user(self.request.user).order_by("name", "id")


routes = [("departments", DepartmentViewSet, "department")]
