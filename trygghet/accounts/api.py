from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from trygghet.accounts.permissions import CapabilityPermission, departments_for_user
from trygghet.accounts.policy import Capability
from trygghet.accounts.serializers import DepartmentSerializer, MeSerializer


class MeView(APIView):
    """Who the request is authenticated as, and what they may do."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
    ordering = "name"

    def get_queryset(self):
        return departments_for_user(self.request.user).order_by("name", "id")


routes = [("departments", DepartmentViewSet, "department")]
