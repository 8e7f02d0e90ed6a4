"""/api/v1/ areas, assignments, shifts, visits and presence. Reads for the chief, partners and
report programs (and hosts: the areas and their own shifts); writes go through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from patrols import permissions, services
from patrols.forms import PresenceForm
from patrols.models import AreaKind, ShiftState
from patrols.selectors import (
    MIDNIGHT,
    area_columns,
    areas_as_on,
    assignment_columns,
    kilometres_by_night,
    presence,
    shift_columns,
    visit_columns,
    with_hosts,
)
from patrols.serializers import (
    AreaPublicSerializer,
    AreaSerializer,
    AssignmentPublicSerializer,
    AssignmentSerializer,
    DialogueSerializer,
    PresenceSerializer,
    ShiftPlanSerializer,
    ShiftPublicSerializer,
    ShiftSerializer,
    VisitArriveSerializer,
    VisitLeaveSerializer,
    VisitPublicSerializer,
    VisitSerializer,
    WeekCopySerializer,
)
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability, sees_personal_data
from trygghet.core.drf import (
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
    requested_grid,
    role_shapes,
)
from trygghet.core.geojson import (
    GeoJSONRenderer,
    ShapeFeatureCollectionSerializer,
    ShapeFeatureSerializer,
    feature,
    feature_collection,
    in_grid,
)
from trygghet.core.parsing import parse_day
from trygghet.core.time import localize

PLAN = (Capability.PLAN_PATROLS,)
READ_ALL = (Capability.PLAN_PATROLS, Capability.VIEW_PATROLS)
READ_WITH_HOSTS = (*READ_ALL, Capability.WORK_SHIFTS)


def _date(request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return parse_day(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError({name: error.messages}) from None


def _choice(request, name: str, values: list[str]) -> str:
    """The parameter's value, one of `values` ("" when not given); any other is a 400."""
    value = request.query_params.get(name, "")
    if value and value not in values:
        raise serializers.ValidationError(
            {
                name: [
                    _("Unknown value {value}: use {values}.").format(
                        value=value, values=", ".join(values)
                    )
                ]
            }
        )
    return value


def _local_day_range(request, field: str) -> dict:
    """Filters for `from` and `to`, local dates both included, on a moment field."""
    lookups = {}
    if first := _date(request, "from"):
        lookups[f"{field}__gte"] = localize(first, MIDNIGHT)
    if last := _date(request, "to"):
        lookups[f"{field}__lt"] = localize(last + timedelta(days=1), MIDNIGHT)
    return lookups


PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="From this local date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Up to and including this local date."),
]


AREA_GEOJSON = (
    "`geojson`: an RFC 7946 FeatureCollection of this page (the boundaries as polygons), with "
    "`next` and `previous` page links as foreign members. "
)


@extend_schema_view(
    list=extend_schema(
        description="Areas.",
        parameters=[
            OpenApiParameter("active", OpenApiTypes.BOOL),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=AreaKind.values),
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="The boundaries as they were at the end of this local date; areas "
                "drawn later are left out.",
            ),
            *export_parameters(geojson=True, geojson_note=AREA_GEOJSON),
        ],
        responses=export_responses(
            AreaSerializer(many=True),
            geojson=True,
            geojson_response=ShapeFeatureCollectionSerializer,
        ),
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): AreaSerializer,
            (200, "application/geo+json"): ShapeFeatureSerializer,
        }
    ),
)
class AreaViewSet(
    KnownQueryParameters,
    ExportMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    query_parameters = ("active", "kind", "on")
    export_name = "omraden"
    serializer_class = AreaSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = READ_WITH_HOSTS
    write_capabilities = PLAN
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]

    def export_columns(self):
        return area_columns(personal=sees_personal_data(self.request.user))

    def get_serializer_class(self):
        if sees_personal_data(self.request.user):
            return AreaSerializer
        return AreaPublicSerializer

    def get_queryset(self):
        areas = permissions.areas_for_user(self.request.user)
        if active := _choice(self.request, "active", ["true", "false"]):
            areas = areas.filter(active=active == "true")
        if kind := _choice(self.request, "kind", AreaKind.values):
            areas = areas.filter(kind=kind)
        if (day := _date(self.request, "on")) is not None:
            areas = areas_as_on(areas, day)
        return areas

    def _as_feature(self, data: dict) -> dict:
        properties = dict(data)
        return feature(properties.pop("boundary"), properties, id=data["id"])

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "geojson":
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(page, many=True).data
        collection = feature_collection(
            (self._as_feature(item) for item in data),
            next=self.paginator.get_next_link(),
            previous=self.paginator.get_previous_link(),
        )
        return Response(in_grid(collection, requested_grid(request)))

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if request.accepted_renderer.format == "geojson":
            response.data = self._as_feature(response.data)
        return response

    def perform_create(self, serializer):
        serializer.instance = services.area_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        area, data = serializer.instance, serializer.validated_data
        services.area_update(
            area=area,
            name=data.get("name", area.name),
            kind=data.get("kind", area.kind),
            boundary=data.get("boundary", area.boundary),
            notes=data.get("notes", area.notes),
            by=self.request.user,
            reason=data.get("reason", ""),
        )
        if "active" in data:
            services.area_set_active(area=area, active=data["active"])


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT),
            OpenApiParameter(
                "valid_on", OpenApiTypes.DATE, description="Only those valid on this day."
            ),
            *export_parameters(geojson=False),
        ],
        responses=export_responses(
            role_shapes(AssignmentPublicSerializer, AssignmentSerializer, many=True),
            geojson=False,
        ),
    ),
    retrieve=extend_schema(responses=role_shapes(AssignmentPublicSerializer, AssignmentSerializer)),
)
class AssignmentViewSet(
    KnownQueryParameters,
    ExportMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [CapabilityPermission]
    read_capabilities = READ_WITH_HOSTS
    write_capabilities = PLAN
    query_parameters = ("area", "valid_on")
    export_name = "uppdrag"

    def export_columns(self):
        return assignment_columns(personal=sees_personal_data(self.request.user))

    def get_serializer_class(self):
        if sees_personal_data(self.request.user):
            return AssignmentSerializer
        return AssignmentPublicSerializer

    def get_queryset(self):
        assignments = (
            permissions.assignments_for_user(self.request.user)
            .select_related("area", "created_by")
            .prefetch_related("consultations")
        )
        if area := self.request.query_params.get("area"):
            if not area.isdigit():
                raise serializers.ValidationError({"area": [_("An id is a number.")]})
            assignments = assignments.filter(area_id=area)
        if day := _date(self.request, "valid_on"):
            assignments = assignments.valid_on(day)
        return assignments

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(
            created_by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.assignment_update(assignment=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        description="Shifts by planned start. Partners and report programs see how many hosts, "
        "not who.",
        parameters=[
            *PERIOD,
            OpenApiParameter("state", OpenApiTypes.STR, enum=ShiftState.values),
            *export_parameters(geojson=False),
        ],
        responses=export_responses(
            role_shapes(ShiftPublicSerializer, ShiftSerializer, many=True), geojson=False
        ),
    ),
    retrieve=extend_schema(responses=role_shapes(ShiftPublicSerializer, ShiftSerializer)),
    create=extend_schema(request=ShiftPlanSerializer, responses={201: ShiftSerializer}),
    update=extend_schema(request=ShiftPlanSerializer, responses=ShiftSerializer),
    partial_update=extend_schema(request=ShiftPlanSerializer, responses=ShiftSerializer),
)
class ShiftViewSet(
    KnownQueryParameters,
    ExportMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    query_parameters = ("from", "to", "state")
    export_name = "arbetspass"

    def export_columns(self):
        return shift_columns(personal=sees_personal_data(self.request.user))

    permission_classes = [CapabilityPermission]
    read_capabilities = READ_WITH_HOSTS
    write_capabilities = PLAN

    def get_serializer_class(self):
        if sees_personal_data(self.request.user):
            return ShiftSerializer
        return ShiftPublicSerializer

    def get_queryset(self):
        shifts = with_hosts(permissions.shifts_for_user(self.request.user))
        if state := _choice(self.request, "state", ShiftState.values):
            shifts = shifts.filter(state=state)
        return shifts.filter(**_local_day_range(self.request, "planned_start"))

    def _shown(self, shift, status_code=status.HTTP_200_OK) -> Response:
        shift = self.get_queryset().get(pk=shift.pk)
        return Response(self.get_serializer(shift).data, status=status_code)

    def create(self, request, *args, **kwargs):
        plan = ShiftPlanSerializer(data=request.data)
        plan.is_valid(raise_exception=True)
        shift = services.shift_plan(created_by=request.user, **plan.validated_data)
        return self._shown(shift, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        shift = self.get_object()
        hosts = [row.host for row in shift.shift_hosts.all()]
        current = {
            "planned_start": shift.planned_start,
            "planned_end": shift.planned_end,
            "hosts": [host.pk for host in hosts],
            "vehicle": shift.vehicle_id,
            "phone_line": shift.phone_line_id,
        }
        plan = ShiftPlanSerializer(data={**current, **request.data})
        plan.is_valid(raise_exception=True)
        services.shift_update(shift=shift, **plan.validated_data)
        return self._shown(shift)

    @extend_schema(request=None, responses=ShiftSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        shift = self.get_object()
        services.shift_cancel(shift=shift)
        return self._shown(shift)

    @extend_schema(request=WeekCopySerializer, responses={201: ShiftSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="copy-week", pagination_class=None)
    def copy_week(self, request):
        weeks = WeekCopySerializer(data=request.data)
        weeks.is_valid(raise_exception=True)
        copies = services.shift_week_copy(created_by=request.user, **weeks.validated_data)
        shifts = self.get_queryset().filter(pk__in=[shift.pk for shift in copies])
        return Response(self.get_serializer(shifts, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        description="Presence in areas, newest first. Partners and report programs see no "
        "notes and not who recorded them.",
        parameters=[
            *PERIOD,
            OpenApiParameter("area", OpenApiTypes.INT),
            OpenApiParameter("shift", OpenApiTypes.INT),
            *export_parameters(geojson=False),
        ],
        responses=export_responses(
            role_shapes(VisitPublicSerializer, VisitSerializer, many=True), geojson=False
        ),
    ),
    retrieve=extend_schema(responses=role_shapes(VisitPublicSerializer, VisitSerializer)),
    create=extend_schema(
        description="A host arrives in an area on their started shift. Retry-safe with "
        "`client_key`; arriving where the shift already is returns that visit (200).",
        request=VisitArriveSerializer,
        responses={201: VisitSerializer, 200: VisitSerializer},
    ),
)
class VisitViewSet(
    KnownQueryParameters, ExportMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    query_parameters = ("from", "to", "area", "shift")
    permission_classes = [CapabilityPermission]
    read_capabilities = READ_WITH_HOSTS
    write_capabilities = (Capability.WORK_SHIFTS,)
    export_name = "narvaro"

    def export_columns(self):
        return visit_columns(personal=sees_personal_data(self.request.user))

    def get_serializer_class(self):
        if sees_personal_data(self.request.user):
            return VisitSerializer
        return VisitPublicSerializer

    def get_queryset(self):
        visits = permissions.visits_for_user(self.request.user).select_related(
            "area", "recorded_by"
        )
        for name in ("area", "shift"):
            if value := self.request.query_params.get(name):
                if not value.isdigit():
                    raise serializers.ValidationError({name: [_("An id is a number.")]})
                visits = visits.filter(**{f"{name}_id": value})
        return visits.filter(**_local_day_range(self.request, "arrived_at"))

    def _own_visit(self, pk):
        return permissions.get_visit_to_record(self.request.user, pk)

    def create(self, request, *args, **kwargs):
        arrival = VisitArriveSerializer(
            data=request.data, shifts=permissions.shifts_for_user(request.user)
        )
        arrival.is_valid(raise_exception=True)
        data = arrival.validated_data
        visit, created = services.visit_arrive(
            shift=data["shift"],
            area=data["area"],
            by=request.user,
            client_key=data.get("client_key"),
            at=data.get("arrived_at"),
        )
        return Response(
            VisitSerializer(visit).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=VisitLeaveSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        visit = self._own_visit(pk)
        leaving = VisitLeaveSerializer(data=request.data)
        leaving.is_valid(raise_exception=True)
        visit = services.visit_leave(
            visit=visit, by=request.user, at=leaving.validated_data.get("left_at")
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=DialogueSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def dialogue(self, request, pk=None):
        visit = self._own_visit(pk)
        tap = DialogueSerializer(data=request.data)
        tap.is_valid(raise_exception=True)
        visit = services.visit_count_dialogue(visit=visit, by=request.user, **tap.validated_data)
        return Response(VisitSerializer(visit).data)


class PresenceView(KnownQueryParameters, APIView):
    """Planned versus actual presence per area and operational night (noon to noon)."""

    query_parameters = ("first", "last", "area")

    permission_classes = [CapabilityPermission]
    read_capabilities = READ_ALL

    @extend_schema(
        parameters=[
            OpenApiParameter("first", OpenApiTypes.DATE, required=True, description="First night."),
            OpenApiParameter(
                "last", OpenApiTypes.DATE, required=True, description="Last night (included)."
            ),
            OpenApiParameter("area", OpenApiTypes.INT),
        ],
        responses=PresenceSerializer,
    )
    def get(self, request):
        form = PresenceForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        first, last, area = (form.cleaned_data[name] for name in ("first", "last", "area"))
        rows = presence(first_night=first, last_night=last, area_ids=[area.pk] if area else None)
        totals = rows[0] if rows else None
        driven = kilometres_by_night(first, last)
        return Response(
            PresenceSerializer(
                {
                    "first": first,
                    "last": last,
                    "planned_minutes": totals.all_planned_minutes if totals else 0,
                    "covered_minutes": totals.all_covered_minutes if totals else 0,
                    "coverage_percent": totals.all_coverage if totals else None,
                    "nights_missed": totals.all_nights_missed if totals else 0,
                    "kilometres": sum(night.kilometres for night in driven),
                    "kilometres_by_night": driven,
                    "results": rows,
                }
            ).data
        )


routes = [
    ("areas", AreaViewSet, "area"),
    ("assignments", AssignmentViewSet, "assignment"),
    ("shifts", ShiftViewSet, "shift"),
    ("visits", VisitViewSet, "visit"),
]
