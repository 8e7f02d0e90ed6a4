from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from trygghet.accounts.permissions import departments_for_user
from trygghet.accounts.policy import Capability
from trygghet.accounts.serializers import DepartmentSerializer, MeSerializer
from trygghet.core.drf import (
    CapabilityPermission,
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
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
        responses=export_responses(DepartmentSerializer(many=True), geojson=False),
    )
)
class DepartmentViewSet(KnownQueryParameters, ExportMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
    ordering = "name"
    export_name = "forvaltningar"

    def export_columns(self):
        return [
            Column(gettext_lazy("Id"), "id", Kind.INTEGER),
            Column(gettext_lazy("Name"), "name"),
            Column(gettext_lazy("Contact e-mail"), "contact_email"),
            Column(gettext_lazy("In use"), "active", Kind.BOOLEAN),
        ]

    def get_queryset(self):
        return departments_for_user(self.request.user).order_by("name", "id")


routes = [("departments", DepartmentViewSet, "department")]
