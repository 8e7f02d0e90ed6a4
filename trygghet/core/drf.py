"""Shared API pieces for the apps' api.py modules: pagination, the error handler, and the CSV
and GeoJSON exports every list offers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import exceptions, negotiation, pagination, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from trygghet.core.crs import CRS_PARAMETER, GRIDS, WGS84, Grid, UnknownCRS, grid_named
from trygghet.core.exports import (
    DIALECTS,
    Column,
    Dialect,
    UnknownDialect,
    csv_response,
    dialect_named,
    geojson_response,
)
from trygghet.core.geojson import FeatureCollectionSerializer, GeoJSONRenderer
from trygghet.core.parameters import unknown_parameters


class CursorPagination(pagination.CursorPagination):
    """Stable pages over lists that grow while a program reads them."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to the largest is a 400, not quietly
        the default."""
        value = request.query_params.get(self.page_size_query_param) or ""
        if value and not (
            value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size
        ):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Use a whole number from 1 to {largest}.").format(
                            largest=self.max_page_size
                        )
                    ]
                }
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters


def exception_handler(exc, context):
    """Services refuse with Django's ValidationError, as they do for the forms; the API answers
    it as it answers a serializer's: a 400 with the messages by field."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    # Imported here: rest_framework.views reads the API settings when it is first imported, and
    # they name this module's negotiation and pagination classes, so a module-level import is
    # circular whenever this module is the first to load DRF's views (manage.py check does that).
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


if TYPE_CHECKING:
    # The mixin stands before a DRF view in its classes; at run time DRF's views module cannot be
    # imported here (see exception_handler).
    from rest_framework.views import APIView

    _View = APIView
else:
    _View = object


class KnownQueryParameters(_View):
    """Unknown query parameters are a 400 that names them and the ones the view reads: a typo
    (`?occured_after=`) must not quietly answer with everything.

    A view reads `format` everywhere. A list (a GET that is not of one record, and the stats)
    also reads its filterset's filters, its paginator's parameters, `dialect` where it streams
    CSV, and the names in `query_parameters` that the view reads itself."""

    query_parameters: Sequence[str] = ()

    def known_query_parameters(self) -> set[str]:
        known = {"format"}
        if getattr(self, "detail", False) or self.request.method not in SAFE_METHODS:
            return known
        known.update(self.query_parameters)
        if filterset_class := getattr(self, "filterset_class", None):
            known.update(filterset_class.base_filters)
        if paginator := getattr(self, "paginator", None):
            known.update(
                name
                for attribute in PAGINATION_PARAMETERS
                if (name := getattr(paginator, attribute, None))
            )
        if any(renderer.format == CSVRenderer.format for renderer in self.get_renderers()):
            known.update(("dialect", CRS_PARAMETER))
        return known

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A method the view does not answer (TRACE) is a 405 whatever its query string says.
        if not hasattr(self, request.method.lower()):
            raise exceptions.MethodNotAllowed(request.method)
        known = self.known_query_parameters()
        if unknown := unknown_parameters(request.query_params, known):
            raise exceptions.ValidationError({name: [message] for name, message in unknown.items()})


# The attributes of DRF's paginators that name a query parameter.
PAGINATION_PARAMETERS = (
    "cursor_query_param",
    "page_query_param",
    "page_size_query_param",
    "limit_query_param",
    "offset_query_param",
)


# The names the API first had for a period's `from` and `to`: still read, and marked deprecated
# in the schema.
PERIOD_ALIASES = {"occurred_after": "from", "occurred_before": "to"}


def deprecate_period_aliases(result, generator, request, public):
    """Schema postprocessing: the old period names are deprecated, with a pointer to the new."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter["in"] == "query" and parameter["name"] in PERIOD_ALIASES:
                    parameter["deprecated"] = True
                    parameter["description"] = "Deprecated: use `{name}`.".format(
                        name=PERIOD_ALIASES[parameter["name"]]
                    )
    return result


def any_of_role_shapes(result, generator, request, public):
    """Schema postprocessing: a record with the personal fields also matches the shape without
    them (more properties are allowed), so the role shapes are `anyOf`, not `oneOf`."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("ForRole") and "oneOf" in schema:
            schema["anyOf"] = schema.pop("oneOf")
    return result


def query_forms(result, generator, request, public):
    """Schema postprocessing for what the query string and JSON really carry: an optional query
    parameter given empty is the same as one left out (as an HTML form sends it), and times of
    day are local wall-clock times ("21:00:00") without an offset."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    _local_times(result.get("components", {}).get("schemas", {}))
    return result


def _local_times(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


ERROR_RESPONSES = {
    "400": "A bad parameter or body: the fields' names with their messages.",
    "401": "Not authenticated: send `Authorization: Token <key>`.",
    "403": "The role may not do this.",
    "404": "No such record for this user, or a page cursor that is not valid.",
    "429": "Too many requests: wait as `Retry-After` says.",
}


def document_errors(result, generator, request, public):
    """Schema postprocessing: every operation may answer with the errors every view can give,
    in JSON: `detail` with a message, each field's name with its messages, or a list of
    messages."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "oneOf": [
            {"type": "object", "properties": {"detail": {"type": "string"}}},
            {"type": "array", "items": {"type": "string"}},
        ]
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for status, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": error}
                )
    return result


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """An unknown `?format=` is a 400 that names the formats there are, not a bare 404; for a
    method the view does not answer at all, that comes first (405)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.ValidationError:
            view = (request.parser_context or {}).get("view")
            if view is not None and not hasattr(view, request.method.lower()):
                raise exceptions.MethodNotAllowed(request.method) from None
            raise

    def filter_renderers(self, renderers, format):
        try:
            return super().filter_renderers(renderers, format)
        except Http404:
            formats = [renderer.format for renderer in renderers if renderer.format != "api"]
            raise exceptions.ValidationError(
                {
                    "format": [
                        _("Unknown format {format}: use {formats}.").format(
                            format=format, formats=", ".join(formats)
                        )
                    ]
                }
            ) from None


# Deep enough for any body the API reads (a GeoJSON MultiPolygon is five levels inside its
# request), far from where the parser would run out of stack.
MAX_JSON_DEPTH = 32


def _depth(data) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON bodies of at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, nested at most MAX_JSON_DEPTH
    levels: anything else is a 400, never a RecursionError or a server holding a huge body."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise exceptions.ParseError(
                _("The body is larger than {size} bytes.").format(size=limit)
            )
        too_deep = exceptions.ParseError(
            _("The body nests deeper than {depth} levels.").format(depth=MAX_JSON_DEPTH)
        )
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data


class CSVRenderer(BaseRenderer):
    """Chooses the CSV export; the list streams it itself (see ExportMixin)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by the list, never rendered from data.")


EXPORT_FORMATS = (CSVRenderer.format, GeoJSONRenderer.format)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def requested_dialect(request) -> Dialect:
    """The CSV dialect asked for; an unknown one is a 400, whatever the format."""
    try:
        return dialect_named(request.query_params.get("dialect"))
    except UnknownDialect as error:
        raise exceptions.ValidationError({"dialect": [str(error)]}) from error


def requested_grid(request) -> Grid | None:
    """The coordinate system asked for (None: WGS 84); an unknown one is a 400."""
    try:
        return grid_named(request.query_params.get(CRS_PARAMETER))
    except UnknownCRS as error:
        raise exceptions.ValidationError({CRS_PARAMETER: [str(error)]}) from error


def csv_stream(request, rows, columns: Sequence[Column], *, name: str):
    """`rows` as CSV in the dialect and coordinate system the request asks for, named by
    `name` and the local time."""
    dialect = requested_dialect(request)
    return csv_response(
        rows,
        columns,
        dialect=dialect,
        filename=f"{name}-{_stamp()}.csv",
        grid=requested_grid(request),
    )


class ExportErrorsAsJSON:
    """Errors of an export request (a bad filter) are JSON, whatever format was asked for (a
    list may answer GeoJSON of its own, as a Response)."""

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        format = renderer.format if renderer else None
        # A CSV is only ever streamed, so any other answer (an error, OPTIONS) is JSON.
        if isinstance(response, Response) and (
            format == CSVRenderer.format
            or (format in EXPORT_FORMATS and response.status_code >= 400)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ExportMixin(ExportErrorsAsJSON):
    """`?format=csv` (with `?dialect=excel-sv`) and, where rows have a position,
    `?format=geojson` for a list viewset: the whole filtered list, streamed and formatted by
    PostgreSQL from the very queryset the JSON list pages through, so an export shows exactly
    the rows and no more fields than the list would.

    A viewset sets `export_name` (the file name's start), implements `export_columns()` (the
    columns this user may read) and, for GeoJSON, sets `export_point = (lat, lon)` lookups.
    """

    export_name: str
    export_point: tuple[str, str] | None = None

    def export_columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) != "list":
            return renderers
        # A list without `export_point` keeps a GeoJSON of its own (areas' polygons).
        replaced = EXPORT_FORMATS if self.export_point else (CSVRenderer.format,)
        renderers = [renderer for renderer in renderers if renderer.format not in replaced]
        return [*renderers, CSVRenderer(), *([GeoJSONRenderer()] if self.export_point else [])]

    def list(self, request, *args, **kwargs):
        # The same parameters are checked in every format, also those an export does not use.
        requested_dialect(request)
        grid = requested_grid(request)
        if self.paginator is not None:
            self.paginator.get_page_size(request)
        format = request.accepted_renderer.format
        if format not in EXPORT_FORMATS or (
            format == GeoJSONRenderer.format and not self.export_point
        ):
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset())
        if not rows.ordered:
            rows = rows.order_by(*self._export_ordering())
        columns = self.export_columns()
        if format == GeoJSONRenderer.format:
            lat, lon = self.export_point
            filename = f"{self.export_name}-{_stamp()}.geojson"
            return geojson_response(rows, columns, lat=lat, lon=lon, filename=filename, grid=grid)
        return csv_stream(request, rows, columns, name=self.export_name)

    def _export_ordering(self) -> tuple[str, ...]:
        # The view's paginator: this mixin goes on a GenericAPIView.
        ordering = getattr(getattr(self, "paginator", None), "ordering", None) or "-id"
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)


def role_shapes(public, personal, *, many: bool = False) -> PolymorphicProxySerializer:
    """A record's two shapes for the schema: with the personal fields and without them. The
    component's name ends in "ForRole", which any_of_role_shapes reads."""
    return PolymorphicProxySerializer(
        component_name=f"{public.Meta.model.__name__}ForRole",
        serializers=[personal, public],
        resource_type_field_name=None,
        many=many,
    )


STREAMED_GEOJSON = (
    "`geojson`: the whole filtered list as a streamed RFC 7946 FeatureCollection (WGS84, "
    "longitude first; rows without a position have a null geometry). "
)


def export_parameters(
    *, geojson: bool, geojson_note: str = STREAMED_GEOJSON
) -> list[OpenApiParameter]:
    """The export query parameters, for a list's extend_schema; `geojson_note` says what its
    GeoJSON is when the list makes its own."""
    formats = ["json", "csv", *(["geojson"] if geojson else [])]
    return [
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=formats,
            description=(
                "`csv`: the whole filtered list as streamed CSV with a header row of the JSON "
                "fields' names, times in local ISO 8601 with the offset. "
                + (geojson_note if geojson else "")
                + "Without it: JSON, paginated. Same filters, same rows."
            ),
        ),
        OpenApiParameter(
            CRS_PARAMETER,
            OpenApiTypes.STR,
            enum=[WGS84, *GRIDS],
            description="CSV and GeoJSON only. `EPSG:3006`: positions in SWEREF 99 TM, easting "
            "and northing in metres (CSV columns `easting`, `northing`; GeoJSON with the named "
            "`crs` member, which leaves RFC 7946). Default `EPSG:4326`, WGS 84.",
        ),
        OpenApiParameter(
            "dialect",
            OpenApiTypes.STR,
            enum=list(DIALECTS),
            description="CSV only. `excel-sv`: what Swedish Excel opens directly (`;`, UTF-8 "
            "with BOM, translated headers, decimal comma, labels instead of codes, local times "
            "as `2026-11-30 23:15:00`).",
        ),
    ]


def export_responses(
    json_response, *, geojson: bool, geojson_response=FeatureCollectionSerializer
) -> dict:
    """The list's responses by media type: its JSON page, CSV text and GeoJSON (the streamed
    points unless the list makes its own)."""
    responses = {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="CSV, streamed, with a header row."
        ),
    }
    if geojson:
        responses[(200, "application/geo+json")] = OpenApiResponse(
            geojson_response, description="An RFC 7946 FeatureCollection."
        )
    return responses
