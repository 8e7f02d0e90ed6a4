"""/api/v1/stats/: the lägesbild's figures for report programs, counted by PostgreSQL.

Each starts from the same queryset the list of its records gives the caller (the role's scope)
and takes the list's own filters, so no figure counts a row the list would not show. Periods are
operational nights (noon to noon, local time): `from` and `to` name the first and the last, and
a bucket (night, EST week Monday–Sunday, month, tertial) is named by its first night.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.figures import (
    activities,
    escalation_dimensions,
    escalations,
    incident_dimensions,
    incidents,
)
from incidents.filters import EscalationFilter, IncidentFilter
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability
from trygghet.core.aggregates import Counted
from trygghet.core.drf import (
    CSVRenderer,
    ExportErrorsAsJSON,
    KnownQueryParameters,
    csv_stream,
    export_parameters,
    export_responses,
    requested_dialect,
)
from trygghet.core.exports import Column, Kind
from trygghet.core.parsing import DaySerializerField
from trygghet.core.periods import Bucket, Nights, bucket_starts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The longest period a request may cover, in nights: night by night a year, else five years.
MAX_NIGHTS = {Bucket.NIGHT: 366, None: 5 * 366}


DATE_ERRORS: dict[str, StrOrPromise] = {"invalid": gettext_lazy("Use a date like 2026-11-27.")}


class StatsQuerySerializer(serializers.Serializer):
    """`from`, `to`, `bucket` and `group_by`; the list's filters are read by its FilterSet."""

    to = DaySerializerField(error_messages=DATE_ERRORS)
    bucket = serializers.ChoiceField(
        choices=[bucket.value for bucket in Bucket],
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": format_lazy(
                gettext_lazy("Unknown bucket {input}: use {choices}."),
                input="{input}",
                choices=", ".join(bucket.value for bucket in Bucket),
            )
        },
    )
    group_by = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields["from"] = DaySerializerField(error_messages=DATE_ERRORS)
        return fields

    def validate_bucket(self, value: str) -> Bucket | None:
        return Bucket(value) if value else None

    def validate_group_by(self, value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        allowed = self.context["dimensions"]
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise serializers.ValidationError(
                _("Cannot group by {names}: use {allowed}.").format(
                    names=", ".join(unknown), allowed=", ".join(allowed)
                )
            )
        return list(dict.fromkeys(names))

    def validate(self, data):
        first, last = data["from"], data["to"]
        if first > last:
            raise serializers.ValidationError({"from": _("from must not be after to.")})
        bucket = data.get("bucket")
        longest = MAX_NIGHTS.get(bucket, MAX_NIGHTS[None])
        if (last - first).days + 1 > longest:
            raise serializers.ValidationError(
                {
                    "to": _(
                        "The period may be at most {count} nights long; ask for a wider bucket "
                        "or a shorter period."
                    ).format(count=longest)
                }
            )
        data.setdefault("bucket", None)
        data.setdefault("group_by", [])
        return data


class BaseRowSerializer(serializers.Serializer):
    bucket = serializers.DateField(
        required=False, help_text="The first operational night of the bucket."
    )
    # A field, not the serializer's own `partial` flag: DRF's metaclass takes declared fields out
    # of the class.
    partial = serializers.BooleanField(  # type: ignore[assignment]
        required=False,
        help_text="The bucket is cut short by `from` or `to`: it counts only some of its nights.",
    )
    area = serializers.IntegerField(required=False, allow_null=True)
    area_name = serializers.CharField(required=False, allow_null=True)
    category = serializers.IntegerField(required=False)
    category_code = serializers.CharField(required=False)
    category_name = serializers.CharField(required=False)
    group = serializers.CharField(required=False, help_text="The category's EST group.")
    count = serializers.IntegerField()

    def to_representation(self, row):
        # Only what the request grouped by: a row without an area is not "area": null.
        return {key: value for key, value in super().to_representation(row).items() if key in row}


class IncidentRowSerializer(BaseRowSerializer):
    severity = serializers.IntegerField(required=False)
    # DRF's metaclass takes declared fields out of the class; the stubs see Field.source here.
    source = serializers.CharField(required=False)  # type: ignore[assignment]


class EscalationRowSerializer(BaseRowSerializer):
    service = serializers.CharField(required=False)
    arrived = serializers.IntegerField(help_text="How many the service reached.")
    median_minutes_to_arrival = serializers.FloatField(
        allow_null=True, help_text="From the call to the service's arrival, of those it reached."
    )


class StatsSerializer(serializers.Serializer):
    to = serializers.DateField(source="last")
    bucket = serializers.CharField(allow_null=True)
    group_by = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    buckets = serializers.ListField(
        child=serializers.DateField(),
        help_text="Every bucket of the period, in order, also those without rows.",
    )

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        return {"from": serializers.DateField(source="first"), **super().get_fields()}


class IncidentStatsSerializer(StatsSerializer):
    results = IncidentRowSerializer(many=True)


class EscalationStatsSerializer(StatsSerializer):
    results = EscalationRowSerializer(many=True)


def _parameters(dimensions: dict, filterset: type[FilterSet]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "from",
            OpenApiTypes.DATE,
            required=True,
            description="The first operational night (noon to noon, local time).",
        ),
        OpenApiParameter(
            "to", OpenApiTypes.DATE, required=True, description="The last operational night."
        ),
        OpenApiParameter(
            "bucket",
            OpenApiTypes.STR,
            enum=[bucket.value for bucket in Bucket],
            description="Count per operational night, EST week (Monday–Sunday), month or "
            "tertial (January–April, May–August, September–December). Without it: the whole "
            f"period. At most {MAX_NIGHTS[Bucket.NIGHT]} nights night by night, else "
            f"{MAX_NIGHTS[None]}.",
        ),
        OpenApiParameter(
            "group_by",
            OpenApiTypes.STR,
            description="Comma-separated: " + ", ".join(dimensions) + ".",
        ),
        *(
            OpenApiParameter(name, OpenApiTypes.STR, description="A filter of the list.")
            for name in filterset.base_filters
            if name not in StatsView.query_parameters
        ),
        *export_parameters(geojson=False),
    ]


def stats_columns(rows: QuerySet) -> list[Column]:
    """The CSV of a stats query: the bucket, what it is grouped by and the figures, each
    under its name in the JSON rows."""
    names = [*rows.query.values_select, *rows.query.annotation_select]
    names.sort(key=lambda name: (name != "bucket", name != "partial"))
    return [Column(name, name, FIGURE_KINDS.get(name, Kind.TEXT)) for name in names]


FIGURE_KINDS = {
    "partial": Kind.BOOLEAN,
    "count": Kind.INTEGER,
    "arrived": Kind.INTEGER,
    "median_minutes_to_arrival": Kind.DECIMAL,
}


class StatsView(KnownQueryParameters, ExportErrorsAsJSON, APIView):
    """Figures of one kind of record: `counted` is its declaration (the user's scope is its
    records, the list's queryset), `filterset_class` the list's filters, `dimensions` what it
    may be grouped by and `measures` which of its measures are shown (all when None)."""

    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_LAGESBILD,)
    query_parameters = ("from", "to", "bucket", "group_by")
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    export_name: str
    filterset_class: type
    serializer_class: type[serializers.Serializer]
    dimensions: Callable[[], dict]
    counted: Callable[[], Counted]
    measures: Sequence[str] | None = None

    def get(self, request):
        requested_dialect(request)
        dimensions = self.dimensions()
        query = StatsQuerySerializer(data=request.query_params, context={"dimensions": dimensions})
        query.is_valid(raise_exception=True)
        # `from` and `to` are operational nights here, counted by the stats themselves; the
        # list's filters of the same names (instants) are not applied on top.
        filters = request.query_params.copy()
        for name in self.query_parameters:
            filters.pop(name, None)
        filterset = self.filterset_class(
            filters, queryset=self.counted().records(request.user), request=request
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        first, last = query.validated_data["from"], query.validated_data["to"]
        bucket, group_by = query.validated_data["bucket"], query.validated_data["group_by"]
        rows = self.counted().count_by(
            filterset.qs,
            first=first,
            last=last,
            bucket=bucket,
            dimensions=[dimensions[name] for name in group_by],
            measures=self.measures,
        )
        if request.accepted_renderer.format == CSVRenderer.format:
            return csv_stream(request, rows, stats_columns(rows), name=self.export_name)
        rows = list(rows)
        nights = Nights(first, last)
        return Response(
            self.serializer_class(
                {
                    "first": first,
                    "last": last,
                    "bucket": bucket,
                    "group_by": group_by,
                    "total": sum(row["count"] for row in rows),
                    "buckets": bucket_starts(nights, bucket) if bucket else [],
                    "results": rows,
                }
            ).data
        )


INCIDENT_EXAMPLE = {
    "from": "2026-11-02",
    "to": "2026-11-15",
    "bucket": "week",
    "group_by": ["area", "category"],
    "total": 31,
    "buckets": ["2026-11-02", "2026-11-09"],
    "results": [
        {
            "bucket": "2026-11-02",
            "partial": False,
            "area": 3,
            "area_name": "Stortorget",
            "category": 4,
            "category_code": "graffiti",
            "category_name": "Klotter",
            "count": 12,
        },
        {
            "bucket": "2026-11-09",
            "partial": False,
            "area": 3,
            "area_name": "Stortorget",
            "category": 4,
            "category_code": "graffiti",
            "category_name": "Klotter",
            "count": 19,
        },
    ],
}


@extend_schema_view(
    get=extend_schema(
        parameters=_parameters(incident_dimensions(), IncidentFilter),
        responses=export_responses(IncidentStatsSerializer, geojson=False),
        examples=[
            OpenApiExample(
                "Graffiti on the square, week by week",
                value=INCIDENT_EXAMPLE,
                description="?from=2026-11-02&to=2026-11-15&bucket=week&group_by=area,category"
                "&group=graffiti",
                response_only=True,
            )
        ],
    )
)
class IncidentStatsView(StatsView):
    """Incidents (events: what happened, not the hosts' own work) counted per bucket and by
    area, category, group, severity or source."""

    filterset_class = IncidentFilter
    serializer_class = IncidentStatsSerializer
    export_name = "statistik-handelser"
    dimensions = staticmethod(incident_dimensions)
    counted = staticmethod(incidents)
    measures = ("count",)


@extend_schema_view(
    get=extend_schema(
        parameters=_parameters(incident_dimensions(), IncidentFilter),
        responses=export_responses(IncidentStatsSerializer, geojson=False),
    )
)
class ActivityStatsView(IncidentStatsView):
    """The hosts' activities (dialogues, support given) counted as the incidents are."""

    export_name = "statistik-aktiviteter"
    counted = staticmethod(activities)


@extend_schema_view(
    get=extend_schema(
        parameters=_parameters(escalation_dimensions(), EscalationFilter),
        responses=export_responses(EscalationStatsSerializer, geojson=False),
        examples=[
            OpenApiExample(
                "Police response by month",
                value={
                    "from": "2026-09-01",
                    "to": "2026-10-31",
                    "bucket": "month",
                    "group_by": ["service"],
                    "total": 29,
                    "buckets": ["2026-09-01", "2026-10-01"],
                    "results": [
                        {
                            "bucket": "2026-09-01",
                            "partial": False,
                            "service": "police",
                            "count": 13,
                            "arrived": 11,
                            "median_minutes_to_arrival": 17.0,
                        },
                        {
                            "bucket": "2026-10-01",
                            "partial": False,
                            "service": "police",
                            "count": 16,
                            "arrived": 15,
                            "median_minutes_to_arrival": 14.5,
                        },
                    ],
                },
                description="?from=2026-09-01&to=2026-10-31&bucket=month&group_by=service"
                "&service=police",
                response_only=True,
            )
        ],
    )
)
class EscalationStatsView(StatsView):
    """Calls for help counted per bucket and by service, area, category or group, with the
    median minutes from the call to the service's arrival."""

    filterset_class = EscalationFilter
    serializer_class = EscalationStatsSerializer
    export_name = "statistik-larm"
    dimensions = staticmethod(escalation_dimensions)
    counted = staticmethod(escalations)
