"""Area boundaries: checking a drawn boundary, and which area a position falls in.

Areas are few (tens) and their boundaries small, so the lookup is done with shapely on
boundaries read in one query, not with a GIS extension."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import prepared
from shapely.geometry import Point, shape

from patrols.models import Area, AreaVersion
from trygghet.core.geojson import feature

# A boundary is drawn by hand on a map: these limits refuse mistakes (a ring around half the
# country, coordinates swapped, a pasted file of thousands of points), not real places.
MAX_BOUNDARY_BYTES = 100_000
MAX_POSITIONS = 2_000
MIN_AREA_M2 = 100
MAX_AREA_KM2 = 30
# Sweden with a margin (longitude, latitude), to catch swapped coordinates.
SWEDEN = (10.0, 55.0, 24.5, 69.5)
# Metres per degree of latitude; a degree of longitude is this times cos(latitude).
METRES_PER_DEGREE = 111_320


def validate_boundary(value: Any) -> dict:
    """The boundary as a clean GeoJSON Polygon or MultiPolygon (WGS84, longitude first), or a
    ValidationError saying what is wrong in words the chief can act on.

    `value` is the parsed GeoJSON object or its text (from a form field)."""
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text.encode()) > MAX_BOUNDARY_BYTES:
        raise ValidationError(
            _(
                "The boundary is too large ({size} kB, at most {limit} kB). Draw it with fewer points."
            ).format(size=len(text.encode()) // 1000, limit=MAX_BOUNDARY_BYTES // 1000),
            code="too_large",
        )
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(_("The boundary is not valid GeoJSON."), code="invalid") from None
    if not isinstance(value, dict) or "coordinates" not in value:
        raise ValidationError(_("The boundary is not valid GeoJSON."), code="invalid")
    kind = value.get("type")
    if kind == "Polygon":
        polygons = [value["coordinates"]]
    elif kind == "MultiPolygon" and isinstance(value["coordinates"], list):
        polygons = value["coordinates"]
    else:
        raise ValidationError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon, not {kind}.").format(
                kind=kind if isinstance(kind, str) else "?"
            ),
            code="wrong_type",
        )
    clean = [[_clean_ring(ring) for ring in _as_list(polygon)] for polygon in polygons]
    if not clean or any(not polygon for polygon in clean):
        raise ValidationError(_("The boundary has no outline."), code="empty")
    positions = sum(len(ring) for polygon in clean for ring in polygon)
    if positions > MAX_POSITIONS:
        raise ValidationError(
            _("The boundary has too many points ({count}, at most {limit}).").format(
                count=positions, limit=MAX_POSITIONS
            ),
            code="too_many_points",
        )
    geometry = shape(
        {"type": "Polygon", "coordinates": clean[0]}
        if kind == "Polygon"
        else {"type": "MultiPolygon", "coordinates": clean}
    )
    _check_shape(geometry)
    # RFC 7946: outer rings counter-clockwise, holes clockwise, whatever way it was drawn.
    return json.loads(shapely.to_geojson(shapely.orient_polygons(geometry)))


def _as_list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValidationError(_("The boundary is not valid GeoJSON."), code="invalid")
    return value


def _clean_ring(ring: Any) -> list[list[float]]:
    positions = [_clean_position(position) for position in _as_list(ring)]
    if len(positions) < 4:
        raise ValidationError(
            _("Each outline needs at least four positions: three corners and the first again."),
            code="short_ring",
        )
    if positions[0] != positions[-1]:
        raise ValidationError(
            _("The outline is not closed: its last position must be the same as its first."),
            code="open_ring",
        )
    return positions


def _clean_position(position: Any) -> list[float]:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(isinstance(n, Real) and not isinstance(n, bool) for n in position)
        or not all(math.isfinite(n) for n in position)
    ):
        raise ValidationError(
            _("Each position must be a pair of numbers: longitude, latitude."), code="position"
        )
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            _(
                "Coordinates out of range: longitude must be between -180 and 180 and latitude "
                "between -90 and 90."
            ),
            code="out_of_range",
        )
    west, south, east, north = SWEDEN
    if not (west <= lon <= east and south <= lat <= north):
        raise ValidationError(
            _(
                "The boundary lies outside Sweden. Check that each position is longitude first, "
                "then latitude."
            ),
            code="outside",
        )
    return [lon, lat]


def _check_shape(geometry) -> None:
    if not geometry.is_valid:
        # shapely says e.g. "Self-intersection[16.5 59.6]"; the place is what helps.
        found = re.search(r"\[(-?[\d.]+) (-?[\d.]+)\]", shapely.is_valid_reason(geometry))
        if found:
            message = _(
                "The outline crosses itself near {lat}, {lon}. Move the points so that no lines "
                "cross."
            ).format(lat=round(float(found[2]), 5), lon=round(float(found[1]), 5))
        else:
            message = _("The outline crosses itself. Move the points so that no lines cross.")
        raise ValidationError(message, code="self_intersection")
    square_metres = area_in_square_metres(geometry)
    if square_metres < MIN_AREA_M2:
        raise ValidationError(
            _("The area is too small ({size} m², at least {limit} m²).").format(
                size=round(square_metres), limit=MIN_AREA_M2
            ),
            code="too_small",
        )
    if square_metres > MAX_AREA_KM2 * 1_000_000:
        raise ValidationError(
            _(
                "The area is too big ({size} km², at most {limit} km²). Split it into smaller areas."
            ).format(size=round(square_metres / 1_000_000, 1), limit=MAX_AREA_KM2),
            code="too_big",
        )


def area_in_square_metres(geometry) -> float:
    """The surface, projected to metres around its own latitude: exact enough at town scale."""
    cos_lat = math.cos(math.radians(geometry.centroid.y))
    projected = shapely.transform(
        geometry, lambda xy: xy * [METRES_PER_DEGREE * cos_lat, METRES_PER_DEGREE]
    )
    return projected.area


class AreaLocator:
    """Finds the area containing a point among the given areas; build once for many lookups.

    Where areas overlap, the point belongs to the smallest of them (the car park inside the
    residential area is the more precise place), and between areas of the same size to the
    first by name, so the answer never depends on the order the areas were read in."""

    def __init__(self, areas: Iterable[Area]):
        shapes = [(area, shape(area.boundary)) for area in areas]
        shapes.sort(key=lambda pair: (round(area_in_square_metres(pair[1])), pair[0].name))
        self._areas = [(area, prepared.prep(geometry)) for area, geometry in shapes]

    def locate(self, *, lat: float, lon: float) -> Area | None:
        point = Point(lon, lat)  # GeoJSON order: longitude first
        for area, geometry in self._areas:
            if geometry.covers(point):
                return area
        return None


def area_at(*, lat: float, lon: float) -> Area | None:
    """The active area whose boundary contains the position (the smallest if they overlap)."""
    return AreaLocator(Area.objects.active().only("id", "name", "boundary")).locate(
        lat=lat, lon=lon
    )


def current_version(area: Area | None) -> AreaVersion | None:
    """The version of the area's boundary in force now: the one a newly placed row fell in."""
    if area is None:
        return None
    return area.versions.order_by("-number").first()


@dataclass(frozen=True)
class Overlap:
    area: Area
    boundary: dict
    square_metres: int


def overlaps(boundary: dict, *, exclude: Area | None = None) -> list[Overlap]:
    """Where a drawn boundary covers other active areas, each overlap as GeoJSON. Computed with
    shapely on the few boundaries there are: PostgreSQL has no polygon intersection without
    PostGIS, and one more extension is not worth a warning on a form."""
    drawn = shape(boundary)
    others = Area.objects.active().only("id", "name", "boundary")
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    found = []
    for other in others:
        common = drawn.intersection(shape(other.boundary))
        # Shared edges or corners come back as lines and points: those are not an overlap.
        common = shapely.union_all(
            [part for part in shapely.get_parts(common) if part.geom_type == "Polygon"]
        )
        if common.is_empty:
            continue
        size = round(area_in_square_metres(common))
        if size >= 1:
            found.append(Overlap(other, json.loads(shapely.to_geojson(common)), size))
    return found


def area_feature(area: Area, **properties) -> dict:
    """An area for a map: its name and kind, and whatever the map colours it by."""
    return feature(
        area.boundary,
        {"id": area.pk, "name": area.name, "kind": area.kind, "active": area.active, **properties},
        id=area.pk,
    )
