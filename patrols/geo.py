"""Which area a position falls in. Areas are few (tens) and their boundaries small, so the lookup
is done with shapely on boundaries read in one query, not with a GIS extension."""

from __future__ import annotations

from collections.abc import Iterable

from shapely import prepared
from shapely.geometry import Point, shape

from patrols.models import Area


class AreaLocator:
    """Finds the area containing a point among the given areas; build once for many lookups."""

    def __init__(self, areas: Iterable[Area]):
        self._areas = [(area, prepared.prep(shape(area.boundary))) for area in areas]

    def locate(self, *, lat: float, lon: float) -> Area | None:
        point = Point(lon, lat)  # GeoJSON order: longitude first
        for area, geometry in self._areas:
            if geometry.covers(point):
                return area
        return None


def area_at(*, lat: float, lon: float) -> Area | None:
    """The active area whose boundary contains the position (the first by name if they overlap)."""
    return AreaLocator(Area.objects.active().only("id", "name", "boundary")).locate(
        lat=lat, lon=lon
    )
