"""GeoJSON (RFC 7946) for the API: a renderer chosen with `?format=geojson`, and the few shapes
the apps build. Coordinates are WGS84 in longitude, latitude order, as the RFC says."""

from __future__ import annotations

from collections.abc import Iterable

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from trygghet.core.crs import Grid


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def feature(geometry: dict, properties: dict, id: int | None = None) -> dict:
    """An RFC 7946 Feature."""
    return {"type": "Feature", "id": id, "geometry": geometry, "properties": properties}


def point_feature(*, id: int, lat: float, lon: float, properties: dict) -> dict:
    return feature({"type": "Point", "coordinates": [lon, lat]}, properties, id=id)


def feature_collection(features: Iterable[dict], **members) -> dict:
    """An RFC 7946 FeatureCollection; `members` are foreign members such as the next page."""
    return {"type": "FeatureCollection", "features": list(features), **members}


def in_grid(collection: dict, grid: Grid | None) -> dict:
    """A FeatureCollection built here (areas' shapes, the property register), with its
    coordinates in `grid` (eastings and northings in metres) and the named-CRS member that GDAL
    reads; as it is for WGS 84. The streamed exports project their rows in trygghet.core.crs."""
    if grid is None:
        return collection

    def projected(coordinates):
        if coordinates and isinstance(coordinates[0], int | float):
            eastings, northings = grid.project([coordinates[1]], [coordinates[0]])
            return [eastings[0], northings[0]]
        return [projected(inner) for inner in coordinates]

    def moved(feature: dict) -> dict:
        geometry = feature["geometry"]
        if geometry is None:
            return feature
        return feature | {
            "geometry": geometry | {"coordinates": projected(geometry["coordinates"])}
        }

    crs = {"type": "name", "properties": {"name": grid.urn}}
    features = [moved(feature) for feature in collection["features"]]
    return {"type": "FeatureCollection", "crs": crs} | collection | {"features": features}


class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[lon, lat]"
    )


class FeatureSerializer(serializers.Serializer):
    """How the OpenAPI schema describes a Feature (its properties are each endpoint's own)."""

    type = serializers.ChoiceField(["Feature"])
    id = serializers.IntegerField()
    geometry = PointSerializer(allow_null=True, help_text="Null for a row without a position.")
    properties = serializers.DictField()


@extend_schema_serializer(many=False)
class FeatureCollectionSerializer(serializers.Serializer):
    """A whole FeatureCollection, never paginated (many=False keeps the schema from wrapping
    it in a page)."""

    type = serializers.ChoiceField(["FeatureCollection"])
    features = FeatureSerializer(many=True)


class ShapeFeatureSerializer(FeatureSerializer):
    # An area's feature carries a shape where the streamed lists carry a point.
    geometry = serializers.JSONField(  # type: ignore[assignment]
        help_text="A GeoJSON Polygon or MultiPolygon."
    )


@extend_schema_serializer(many=False)
class ShapeFeatureCollectionSerializer(FeatureCollectionSerializer):
    """A page of shapes, with the links to the pages before and after as foreign members."""

    features = ShapeFeatureSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
