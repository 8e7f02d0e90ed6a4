"""The properties API: the register (JSON and GeoJSON), checks and deviations. Every queryset
comes from permissions.py, so a property owner gets a 404 for another department's rows."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from properties.models import DeviationStep
from properties.permissions import (
    checks_for_user,
    deviations_for_user,
    personal_data_for,
    properties_for_user,
)
from properties.selectors import check_columns, deviation_columns, property_columns
from properties.serializers import (
    DeviationPublicSerializer,
    DeviationSerializer,
    DeviationStateSerializer,
    ListFilterSerializer,
    PropertyCheckCreateSerializer,
    PropertyCheckPublicSerializer,
    PropertyCheckSerializer,
    PropertyContactSerializer,
    PropertySerializer,
)
from properties.services import deviation_transition, property_check_create
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability, sees_contact_details
from trygghet.audit.api import AuditedReads
from trygghet.core.drf import (
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
    requested_grid,
    role_shapes,
)
from trygghet.core.geojson import (
    FeatureSerializer,
    GeoJSONRenderer,
    feature_collection,
    in_grid,
    point_feature,
)
from trygghet.core.time import night_bounds

READERS = (Capability.VIEW_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)

FILTERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="First operational night (noon to noon, local)."
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last operational night, included."),
    OpenApiParameter("department", OpenApiTypes.INT, description="Owning department (id)."),
]
DEVIATION_FILTERS = [
    *FILTERS,
    OpenApiParameter(
        "state", OpenApiTypes.STR, enum=["open", "acknowledged", "resolved"], description="State."
    ),
    OpenApiParameter(
        "overdue", OpenApiTypes.BOOL, description="Only overdue (true) or only not overdue."
    ),
]


def _filtered(
    request, queryset, *, department: str, moment: str | None = None, state: bool = False
):
    """Apply the department, period and state filters; a bad filter is a 400."""
    params = ListFilterSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    filters = params.validated_data
    if moment and "from" in filters:
        queryset = queryset.filter(**{f"{moment}__gte": night_bounds(filters["from"])[0]})
    if moment and "to" in filters:
        queryset = queryset.filter(**{f"{moment}__lt": night_bounds(filters["to"])[1]})
    if "department" in filters:
        queryset = queryset.filter(**{department: filters["department"]})
    if state and "state" in filters:
        queryset = queryset.filter(state=filters["state"])
    if state and filters.get("overdue") is not None:
        overdue = queryset.overdue().values("pk")
        queryset = (
            queryset.filter(pk__in=overdue)
            if filters["overdue"]
            else queryset.exclude(pk__in=overdue)
        )
    return queryset


PROPERTY_GEOJSON = (
    "`geojson`: the whole filtered register as an RFC 7946 FeatureCollection of points, "
    "unpaginated, for maps. "
)


@extend_schema(tags=["properties"])
class PropertyViewSet(KnownQueryParameters, ExportMixin, viewsets.ReadOnlyModelViewSet):
    """The property register. `?format=geojson` gives an RFC 7946 FeatureCollection of points
    (longitude, latitude), unpaginated, for maps. Access notes are never included."""

    serializer_class = PropertySerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (*READERS, Capability.WORK_SHIFTS)
    query_parameters = ("department",)
    export_name = "fastigheter"
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, GeoJSONRenderer]

    def get_serializer_class(self):
        if sees_contact_details(self.request.user):
            return PropertyContactSerializer
        return PropertySerializer

    def export_columns(self):
        return property_columns(contact=sees_contact_details(self.request.user))

    def get_queryset(self):
        queryset = properties_for_user(self.request.user)
        if self.action == "list":
            queryset = _filtered(self.request, queryset, department="department")
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("department", OpenApiTypes.INT, description="Owning department."),
            *export_parameters(geojson=True, geojson_note=PROPERTY_GEOJSON),
        ],
        responses=export_responses(
            role_shapes(PropertySerializer, PropertyContactSerializer, many=True), geojson=True
        ),
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != GeoJSONRenderer.format:
            return super().list(request, *args, **kwargs)
        features = map(_feature, self.get_queryset().order_by("name"))
        return Response(in_grid(feature_collection(features), requested_grid(request)))

    @extend_schema(
        responses={
            (200, "application/json"): role_shapes(PropertySerializer, PropertyContactSerializer),
            (200, "application/geo+json"): FeatureSerializer,
        },
    )
    def retrieve(self, request, *args, **kwargs):
        if request.accepted_renderer.format != GeoJSONRenderer.format:
            return super().retrieve(request, *args, **kwargs)
        return Response(_feature(self.get_object()))


def _feature(building) -> dict:
    return point_feature(
        id=building.pk,
        lat=float(building.latitude),
        lon=float(building.longitude),
        properties={
            "name": building.name,
            "address": building.address,
            "department": building.department.name,
            "priority": building.priority,
            "active": building.active,
            "url": reverse("properties:property-detail", args=[building.pk]),
        },
    )


PERSONAL_NOTE = "Report programs get the shape without {fields}."
BUILDING_POSITION = ("property__latitude", "property__longitude")


class PersonalDataMixin(AuditedReads, ExportMixin):
    """The record's shape and export columns by whether the user sees personal data, and the
    audit row when they do."""

    public_serializer: type[serializers.Serializer]
    personal_serializer: type[serializers.Serializer]
    export_point = BUILDING_POSITION

    def columns(self, *, personal: bool):
        raise NotImplementedError

    def shows_personal_data(self):
        return personal_data_for(self.request.user)

    def get_serializer_class(self):
        if personal_data_for(self.request.user):
            return self.personal_serializer
        return self.public_serializer

    def export_columns(self):
        return self.columns(personal=personal_data_for(self.request.user))


@extend_schema(tags=["properties"])
class PropertyCheckViewSet(
    KnownQueryParameters,
    PersonalDataMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Checks of the buildings. Hosts post checks from their running shift and read their own."""

    public_serializer = PropertyCheckPublicSerializer
    personal_serializer = PropertyCheckSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (*READERS, Capability.WORK_SHIFTS)
    write_capabilities = (Capability.WORK_SHIFTS,)
    export_name = "kontroller"
    query_parameters = ("from", "to", "department")
    columns = staticmethod(check_columns)

    def get_queryset(self):
        queryset = checks_for_user(self.request.user).annotate(deviation_id=F("deviation__id"))
        if self.action == "list":
            queryset = _filtered(
                self.request,
                queryset,
                moment="checked_at",
                department="property__department",
            )
        return queryset

    @extend_schema(
        description=PERSONAL_NOTE.format(fields="checked_by"),
        parameters=[*FILTERS, *export_parameters(geojson=True)],
        responses=export_responses(
            role_shapes(PropertyCheckPublicSerializer, PropertyCheckSerializer, many=True),
            geojson=True,
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        description=PERSONAL_NOTE.format(fields="checked_by"),
        responses=role_shapes(PropertyCheckPublicSerializer, PropertyCheckSerializer),
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=PropertyCheckCreateSerializer,
        responses={201: PropertyCheckSerializer, 200: PropertyCheckSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = PropertyCheckCreateSerializer(
            data=request.data,
            properties=properties_for_user(request.user).active(),
        )
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        check, created = property_check_create(
            property=fields["property"],
            by=request.user,
            results=fields["results"],
            description=fields["description"],
            actions=fields["actions"],
            action_note=fields["action_note"],
            client_key=fields.get("client_key"),
        )
        check = self.get_queryset().get(pk=check.pk)
        return Response(
            PropertyCheckSerializer(check).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


DEVIATION_PERSONAL = "description, action_note, photos, and the steps' by and note"


@extend_schema(tags=["properties"])
class DeviationViewSet(
    KnownQueryParameters,
    PersonalDataMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Deviations found at checks. The security chief and the owning department's property
    owners move them along open → acknowledged → resolved with PATCH {state, note}."""

    public_serializer = DeviationPublicSerializer
    personal_serializer = DeviationSerializer
    export_name = "avvikelser"
    query_parameters = ("from", "to", "department", "state", "overdue")
    columns = staticmethod(deviation_columns)
    permission_classes = [CapabilityPermission]
    read_capabilities = READERS
    write_capabilities = (Capability.MANAGE_PROPERTIES, Capability.FOLLOW_UP_DEVIATIONS)
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = deviations_for_user(self.request.user).prefetch_related(
            Prefetch("steps", queryset=DeviationStep.objects.select_related("by")), "photos"
        )
        if self.action == "list":
            queryset = _filtered(
                self.request,
                queryset,
                moment="found_at",
                department="property__department",
                state=True,
            )
        return queryset

    @extend_schema(
        description=PERSONAL_NOTE.format(fields=DEVIATION_PERSONAL),
        parameters=[*DEVIATION_FILTERS, *export_parameters(geojson=True)],
        responses=export_responses(
            role_shapes(DeviationPublicSerializer, DeviationSerializer, many=True), geojson=True
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        description=PERSONAL_NOTE.format(fields=DEVIATION_PERSONAL),
        responses=role_shapes(DeviationPublicSerializer, DeviationSerializer),
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=DeviationStateSerializer, responses=DeviationSerializer)
    def partial_update(self, request, *args, **kwargs):
        deviation = self.get_object()
        data = DeviationStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deviation_transition(
            deviation=deviation,
            to=data.validated_data["state"],
            by=request.user,
            note=data.validated_data["note"],
        )
        return Response(DeviationSerializer(self.get_queryset().get(pk=deviation.pk)).data)


routes = [
    ("properties", PropertyViewSet, "property"),
    ("property-checks", PropertyCheckViewSet, "property-check"),
    ("deviations", DeviationViewSet, "deviation"),
]
