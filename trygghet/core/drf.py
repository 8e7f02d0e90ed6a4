"""Shared API pieces for the apps' api.py modules: pagination, the error handler, and the CSV
and GeoJSON exports every list offers."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import exceptions, negotiation, pagination, serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from trygghet.core.exports import (
    DIALECTS,
    Column,
    UnknownDialect,
    csv_response,
    dialect_named,
    geojson_response,
)
from trygghet.core.geojson import FeatureCollectionSerializer, GeoJSONRenderer


class CursorPagination(pagination.CursorPagination):
    """Stable pages over lists that grow while a program reads them."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-id"


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


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """An unknown `?format=` is a 400 that names the formats there are, not a bare 404."""

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


class ExportMixin:
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
        renderers = [
            renderer for renderer in renderers if renderer.format not in EXPORT_FORMATS
        ] + [CSVRenderer()]
        return renderers + [GeoJSONRenderer()] if self.export_point else renderers

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors of an export request (a bad filter) are JSON, whatever format was asked for.
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and renderer and renderer.format in EXPORT_FORMATS:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        format = request.accepted_renderer.format
        if format not in EXPORT_FORMATS:
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset())
        if not rows.ordered:
            rows = rows.order_by(*self._export_ordering())
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        columns = self.export_columns()
        if format == GeoJSONRenderer.format:
            lat, lon = self.export_point
            return geojson_response(
                rows, columns, lat=lat, lon=lon, filename=f"{self.export_name}-{stamp}.geojson"
            )
        try:
            dialect = dialect_named(request.query_params.get("dialect"))
        except UnknownDialect as error:
            raise exceptions.ValidationError({"dialect": [str(error)]}) from error
        return csv_response(
            rows, columns, dialect=dialect, filename=f"{self.export_name}-{stamp}.csv"
        )

    def _export_ordering(self) -> tuple[str, ...]:
        # The view's paginator: this mixin goes on a GenericAPIView.
        ordering = getattr(getattr(self, "paginator", None), "ordering", None) or "-id"
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)


def role_shapes(public, personal, *, many: bool = False) -> PolymorphicProxySerializer:
    """A record's two shapes for the schema: with the personal fields and without them."""
    return PolymorphicProxySerializer(
        component_name=f"{public.Meta.model.__name__}ForRole",
        serializers=[personal, public],
        resource_type_field_name=None,
        many=many,
    )


def export_parameters(*, geojson: bool) -> list[OpenApiParameter]:
    """The export query parameters, for a list's extend_schema."""
    formats = ["json", "csv", *(["geojson"] if geojson else [])]
    return [
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=formats,
            description=(
                "`csv`: the whole filtered list as streamed CSV with a header row of the JSON "
                "fields' names, times in local ISO 8601 with the offset. "
                + (
                    "`geojson`: the whole filtered list as a streamed RFC 7946 "
                    "FeatureCollection (WGS84, longitude first; rows without a position have "
                    "a null geometry). "
                    if geojson
                    else ""
                )
                + "Without it: JSON, paginated. Same filters, same rows."
            ),
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


def export_responses(json_response, *, geojson: bool) -> dict:
    """The list's responses by media type: its JSON page, CSV text and GeoJSON."""
    responses = {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="CSV, streamed, with a header row."
        ),
    }
    if geojson:
        responses[(200, "application/geo+json")] = OpenApiResponse(
            FeatureCollectionSerializer, description="An RFC 7946 FeatureCollection, streamed."
        )
    return responses
