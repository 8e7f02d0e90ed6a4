"""/api/v1/dispatches/: the call-outs with the times of each step, and `figures/`, the median
response times. The chief (and a host acting as dispatcher) reads every request with its
details; a host the requests sent to their car; partners and report programs the figures only."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trygghet.accounts.models import User
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability
from trygghet.audit.api import AuditedReads
from trygghet.core.drf import (
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
)
from trygghet.dispatch.figures import response_times, with_times
from trygghet.dispatch.filters import RequestFilter
from trygghet.dispatch.models import DispatchStep
from trygghet.dispatch.permissions import figures_only, reads_figures
from trygghet.dispatch.selectors import (
    request_columns,
    request_list,
)
from trygghet.dispatch.serializers import (
    RequestFiguresSerializer,
    RequestSerializer,
    ResponseTimesSerializer,
)

NOTE = (
    "Partners and report clients get figures only: the shape without what, where (place text "
    "and position), the note, the links, the car, who asked and the step history. For the same "
    "reason `?format=geojson` is only for those who may see where a call-out went."
)


def _for_role(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="DispatchRequestForRole",
        serializers=[RequestSerializer, RequestFiguresSerializer],
        resource_type_field_name=None,
        many=many,
    )


@extend_schema_view(
    list=extend_schema(
        description=NOTE,
        parameters=export_parameters(geojson=True),
        responses=export_responses(_for_role(many=True), geojson=True),
    ),
    retrieve=extend_schema(description=NOTE, responses=_for_role()),
)
class DispatchRequestViewSet(
    AuditedReads, KnownQueryParameters, ExportMixin, viewsets.ReadOnlyModelViewSet
):
    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.DISPATCH, Capability.VIEW_LAGESBILD, Capability.WORK_SHIFTS)
    filter_backends = [DjangoFilterBackend]
    filterset_class = RequestFilter
    export_name = "utryckningar"

    # Per request here, where ExportMixin has a plain attribute that mypy would let be assigned.
    @property
    def export_point(self) -> tuple[str, str] | None:  # type: ignore[override]
        # CapabilityPermission lets only signed-in users this far.
        user = cast(User, self.request.user)
        return None if figures_only(user) else ("latitude", "longitude")

    def export_columns(self):
        return request_columns(personal=not figures_only(self.request.user))

    def shows_personal_data(self):
        return not figures_only(self.request.user)

    def get_queryset(self):
        requests = with_times(request_list(self.request.user))
        if figures_only(self.request.user):
            return requests
        steps = DispatchStep.objects.select_related("by").order_by("number")
        return requests.prefetch_related(Prefetch("steps", queryset=steps))

    def get_serializer_class(self):
        return RequestFiguresSerializer if figures_only(self.request.user) else RequestSerializer

    @extend_schema(
        description=(
            "Median times from request to the first dispatch, acknowledgement and arrival on "
            "scene, per operational night and priority, with rows for all priorities "
            "(priority null) and the whole period (night null). Takes the list's filters."
        ),
        responses=ResponseTimesSerializer(many=True),
    )
    @action(detail=False, pagination_class=None, filter_backends=[DjangoFilterBackend])
    def figures(self, request):
        if not reads_figures(request.user):
            raise PermissionDenied
        rows = response_times(self.filter_queryset(request_list(request.user)))
        return Response(ResponseTimesSerializer(rows, many=True).data)


routes = [("dispatches", DispatchRequestViewSet, "dispatch")]
