"""/api/v1/stats/events/: the lägesbild's events from every source, for report programs: the
hosts' incidents (events only) and the partner organisations' weekly report rows (each counts
`count` events), counted per bucket of operational nights as the page counts them, together or
one source at a time (`source=hosts` or an organisation's id) and grouped by source too.

The incidents' own stats (/stats/incidents/) keep their `source`, which is how the hosts came to
know of an incident (their own observation, a citizen's call, …): a different thing."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.figures import incident_dimensions, incidents
from incidents.models import CategoryGroup
from trygghet.accounts.models import Organisation
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.accounts.policy import Capability
from trygghet.api.stats import BaseRowSerializer, StatsQuerySerializer, StatsSerializer
from trygghet.core.aggregates import Counted, Dimension
from trygghet.core.drf import (
    CSVRenderer,
    ExportErrorsAsJSON,
    KnownQueryParameters,
    export_parameters,
    export_responses,
    requested_dialect,
)
from trygghet.core.exports import Column, Kind, header_line
from trygghet.core.periods import Nights, bucket_starts
from trygghet.partners.figures import report_rows

HOSTS = "hosts"
# Grouped under another name, as an incident's own `source` is a field; the rows say `source`.
SOURCE = "event_source"


def event_dimensions() -> dict[str, Dimension]:
    shared = incident_dimensions()
    return {name: shared[name] for name in ("area", "category", "group")} | {
        "source": Dimension(expressions={SOURCE: Value(HOSTS)})
    }


def _partner_dimensions() -> dict[str, Dimension]:
    return event_dimensions() | {
        "source": Dimension(
            expressions={SOURCE: Cast(F("report__organisation"), output_field=CharField())}
        )
    }


class EventQuerySerializer(StatsQuerySerializer):
    # A declared field, which the serializer's metaclass takes out of the class: it does not
    # replace Field.source, whatever the type checker reads.
    source = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]
    area = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    group = serializers.ChoiceField(
        choices=CategoryGroup.choices,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown category group.")},
    )

    def validate_source(self, value: str) -> str | None:
        if not value:
            return None
        if value == HOSTS or (
            value.isdigit()
            and len(value) < 10
            and Organisation.objects.filter(pk=int(value)).exists()
        ):
            return value
        raise serializers.ValidationError(
            _("Unknown source {input}: use hosts or an organisation's id.").format(input=value)
        )


class EventRowSerializer(BaseRowSerializer):
    # DRF's metaclass takes declared fields out of the class; the stubs see Field.source here.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, help_text="hosts, or the id of the organisation that reported."
    )


class EventStatsSerializer(StatsSerializer):
    results = EventRowSerializer(many=True)


def _count(counted: Counted, user, where: Q, dimensions: list[Dimension], **period) -> list:
    return list(
        counted.count_by(
            counted.records(user).filter(where), dimensions=dimensions, measures=["count"], **period
        )
    )


def merged(*row_lists: list[dict]) -> list[dict]:
    """Rows of the same grouping from several sources, their counts added up where they meet."""
    counts: dict[tuple, int] = defaultdict(int)
    for rows in row_lists:
        for row in rows:
            key = tuple((name, value) for name, value in row.items() if name != "count")
            counts[key] += row["count"]
    return [
        {("source" if name == SOURCE else name): value for name, value in key} | {"count": count}
        for key, count in sorted(counts.items(), key=lambda item: [str(v) for _n, v in item[0]])
    ]


def _csv(request, results: list[dict]) -> HttpResponse:
    """The merged rows as CSV in the dialect asked for: few rows (one per bucket and group), so
    written here rather than streamed from a query as the lists are."""
    dialect = requested_dialect(request)
    names = list(results[0]) if results else ["count"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n")
    for row in results:
        writer.writerow(
            [
                str(value).lower() if isinstance(value, bool) else "" if value is None else value
                for value in row.values()
            ]
        )
    columns = [Column(name, name, Kind.TEXT) for name in names]
    response = HttpResponse(
        header_line(columns, dialect) + out.getvalue().encode(),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="statistik-alla-kallor-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "bucket", OpenApiTypes.STR, enum=["night", "week", "month", "tertial"]
            ),
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                description="Comma-separated: " + ", ".join(event_dimensions()) + ".",
            ),
            OpenApiParameter(
                "source",
                OpenApiTypes.STR,
                description="Count one source: hosts, or a partner organisation's id.",
            ),
            OpenApiParameter("area", OpenApiTypes.INT, description="An area's id."),
            OpenApiParameter(
                "group", OpenApiTypes.STR, enum=[value for value, _label in CategoryGroup.choices]
            ),
            *export_parameters(geojson=False),
        ],
        responses=export_responses(EventStatsSerializer, geojson=False),
    )
)
class EventStatsView(KnownQueryParameters, ExportErrorsAsJSON, APIView):
    """Events from every source counted per bucket and by area, category, group or source."""

    permission_classes = [CapabilityPermission]
    read_capabilities = (Capability.VIEW_LAGESBILD,)
    query_parameters = ("from", "to", "bucket", "group_by", "source", "area", "group")
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def get(self, request):
        requested_dialect(request)
        query = EventQuerySerializer(
            data=request.query_params, context={"dimensions": event_dimensions()}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        first, last, bucket, group_by = data["from"], data["to"], data["bucket"], data["group_by"]
        source = data.get("source")
        where = Q()
        if "area" in data:
            where &= Q(area=data["area"])
        if "group" in data:
            where &= Q(category__group=data["group"])
        period = {"first": first, "last": last, "bucket": bucket}
        rows = []
        if source in (None, HOSTS):
            dimensions = event_dimensions()
            rows.append(
                _count(
                    incidents(), request.user, where, [dimensions[n] for n in group_by], **period
                )
            )
        if source != HOSTS:
            dimensions = _partner_dimensions()
            partners = where & (Q(report__organisation=int(source)) if source else Q())
            rows.append(
                _count(
                    report_rows(),
                    request.user,
                    partners,
                    [dimensions[n] for n in group_by],
                    **period,
                )
            )
        results = merged(*rows)
        if request.accepted_renderer.format == CSVRenderer.format:
            return _csv(request, results)
        return Response(
            EventStatsSerializer(
                {
                    "first": first,
                    "last": last,
                    "bucket": bucket,
                    "group_by": group_by,
                    "total": sum(row["count"] for row in results),
                    "buckets": bucket_starts(Nights(first, last), bucket) if bucket else [],
                    "results": results,
                }
            ).data
        )
