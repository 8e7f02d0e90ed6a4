"""The incidents API: read for the chief, partners and report clients (without personal data for
the last two), create for hosts with a client key so that a resent request makes no duplicate."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents import selectors, services
from incidents.filters import (
    CitizenContactFilter,
    EscalationFilter,
    IncidentFilter,
    NightButtonCallFilter,
)
from incidents.models import Category
from incidents.permissions import (
    get_night_button_call_for_user,
    incidents_for_user,
    personal_data_for,
)
from incidents.serializers import (
    CategorySerializer,
    CitizenContactCreateSerializer,
    CitizenContactPersonalSerializer,
    CitizenContactSerializer,
    EscalationCreateSerializer,
    EscalationPersonalSerializer,
    EscalationSerializer,
    IncidentCreateSerializer,
    IncidentPersonalSerializer,
    IncidentSerializer,
    NightButtonCallEndSerializer,
    NightButtonCallPersonalSerializer,
    NightButtonCallSerializer,
    NightButtonCallStartSerializer,
)
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability
from trygghet.audit.api import AuditedReads
from trygghet.core.drf import (
    ExportMixin,
    KnownQueryParameters,
    export_parameters,
    export_responses,
    role_shapes,
)

READERS = (Capability.MANAGE_INCIDENTS, Capability.VIEW_INCIDENTS)
HOSTS = (Capability.WORK_SHIFTS,)
PERSONAL_NOTE = (
    "Roles without access to personal data (partners, report clients) get the shape without "
    "the personal fields ({fields})."
)


def _schema(public, personal, create, fields: str, *, geojson: bool = False):
    """List and retrieve have two shapes by role; create answers 201, or 200 for a resend. The
    list also streams CSV and, where rows have a position, GeoJSON."""
    note = PERSONAL_NOTE.format(fields=fields)
    return extend_schema_view(
        list=extend_schema(
            description=note,
            parameters=export_parameters(geojson=geojson),
            responses=export_responses(role_shapes(public, personal, many=True), geojson=geojson),
        ),
        retrieve=extend_schema(description=note, responses=role_shapes(public, personal)),
        create=extend_schema(
            request=create,
            responses={
                201: personal,
                200: OpenApiResponse(personal, description="The first result of a resend."),
            },
        ),
    )


class RecordViewSet(
    AuditedReads,
    KnownQueryParameters,
    ExportMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Read for READERS, create for hosts. Subclasses name their serializers, their list
    selector, their export columns and the service that creates."""

    permission_classes = [CapabilityPermission]
    read_capabilities = READERS
    write_capabilities = HOSTS
    filter_backends = [DjangoFilterBackend]
    public_serializer: type[serializers.Serializer]
    personal_serializer: type[serializers.Serializer]
    create_serializer: type[serializers.Serializer]

    def selector(self, user):
        raise NotImplementedError

    def columns(self, *, personal: bool):
        raise NotImplementedError

    def export_columns(self):
        return self.columns(personal=personal_data_for(self.request.user))

    def create_record(self, data: dict):
        raise NotImplementedError

    def get_queryset(self):
        return self.selector(self.request.user)

    def shows_personal_data(self):
        return personal_data_for(self.request.user)

    def output_serializer_class(self):
        return (
            self.personal_serializer
            if personal_data_for(self.request.user)
            else self.public_serializer
        )

    def get_serializer_class(self):
        return self.create_serializer if self.action == "create" else self.output_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record, created = self.create_record(dict(serializer.validated_data))
        output = self.output_serializer_class()(
            self.get_queryset().get(pk=record.pk), context=self.get_serializer_context()
        )
        return Response(
            output.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


@extend_schema_view(
    list=extend_schema(
        parameters=export_parameters(geojson=False),
        responses=export_responses(CategorySerializer(many=True), geojson=False),
    )
)
class CategoryViewSet(KnownQueryParameters, ExportMixin, viewsets.ReadOnlyModelViewSet):
    """The categories; hosts read them too, to log with them."""

    serializer_class = CategorySerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = (*READERS, *HOSTS)
    queryset = Category.objects.order_by("position", "id")
    pagination_class = None
    export_name = "kategorier"
    export_columns = staticmethod(selectors.category_columns)


@_schema(
    IncidentSerializer,
    IncidentPersonalSerializer,
    IncidentCreateSerializer,
    "place_text, description, people_involved, reported_by, photos",
    geojson=True,
)
class IncidentViewSet(RecordViewSet):
    public_serializer = IncidentSerializer
    personal_serializer = IncidentPersonalSerializer
    create_serializer = IncidentCreateSerializer
    filterset_class = IncidentFilter
    export_name = "handelser"
    export_point = ("latitude", "longitude")
    columns = staticmethod(selectors.incident_columns)

    def selector(self, user):
        incidents = selectors.incident_list(user)
        return incidents.prefetch_related("photos") if personal_data_for(user) else incidents

    def create_record(self, data):
        return services.incident_create(by=self.request.user, **data)


@_schema(
    EscalationSerializer,
    EscalationPersonalSerializer,
    EscalationCreateSerializer,
    "reference, note, recorded_by",
    geojson=True,
)
class EscalationViewSet(RecordViewSet):
    public_serializer = EscalationSerializer
    personal_serializer = EscalationPersonalSerializer
    create_serializer = EscalationCreateSerializer
    filterset_class = EscalationFilter
    export_name = "larm"
    export_point = ("incident__latitude", "incident__longitude")
    columns = staticmethod(selectors.escalation_columns)

    def selector(self, user):
        return selectors.escalation_list(user)

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            kwargs["incidents"] = incidents_for_user(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def create_record(self, data):
        return services.escalation_create(by=self.request.user, **data)


@_schema(
    CitizenContactSerializer,
    CitizenContactPersonalSerializer,
    CitizenContactCreateSerializer,
    "reason, contact_details, recorded_by",
)
class CitizenContactViewSet(RecordViewSet):
    public_serializer = CitizenContactSerializer
    personal_serializer = CitizenContactPersonalSerializer
    create_serializer = CitizenContactCreateSerializer
    filterset_class = CitizenContactFilter
    export_name = "invanarkontakter"
    columns = staticmethod(selectors.citizen_contact_columns)

    def selector(self, user):
        return selectors.citizen_contact_list(user)

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            kwargs["incidents"] = incidents_for_user(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def create_record(self, data):
        return services.citizen_contact_create(by=self.request.user, **data)


@_schema(
    NightButtonCallSerializer,
    NightButtonCallPersonalSerializer,
    NightButtonCallStartSerializer,
    "host",
)
class NightButtonCallViewSet(RecordViewSet):
    """Creating one is "call started" on the host's shift's line; `end/` is "call ended"."""

    public_serializer = NightButtonCallSerializer
    personal_serializer = NightButtonCallPersonalSerializer
    create_serializer = NightButtonCallStartSerializer
    filterset_class = NightButtonCallFilter
    export_name = "nattknappen"
    columns = staticmethod(selectors.night_button_call_columns)

    def selector(self, user):
        return selectors.night_button_call_list(user)

    def create_record(self, data):
        return services.night_button_call_start(by=self.request.user, **data)

    @extend_schema(
        request=NightButtonCallEndSerializer, responses=NightButtonCallPersonalSerializer
    )
    @action(detail=True, methods=["post"], serializer_class=NightButtonCallEndSerializer)
    def end(self, request, pk=None):
        call = get_night_button_call_for_user(request.user, pk)
        serializer = NightButtonCallEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.night_button_call_end(
            call=call, by=request.user, outcome=serializer.validated_data["outcome"]
        )
        return Response(NightButtonCallPersonalSerializer(call).data)


routes = [
    ("categories", CategoryViewSet, "category"),
    ("incidents", IncidentViewSet, "incident"),
    ("escalations", EscalationViewSet, "escalation"),
    ("citizen-contacts", CitizenContactViewSet, "citizen-contact"),
    ("night-button-calls", NightButtonCallViewSet, "night-button-call"),
]
