"""The coordinate reference systems an export can be written in: WGS 84 (the default, as RFC
7946 and every phone speak it) and SWEREF 99 TM (EPSG:3006), the grid in metres that Swedish
municipalities and Lantmäteriet use, for the municipality's own GIS.

The projection is pyproj's (PROJ), applied to the rows PostgreSQL streams: the embedded
PostgreSQL has no PostGIS, and adding it to every installation for one grid would be a heavy
dependency where PROJ's wheels are self-contained. Stored positions are taken as SWEREF 99
geographic coordinates: SWEREF 99 and WGS 84 agree within a metre in Sweden, closer than a
phone's position, so no datum shift is applied (Lantmäteriet does the same for GNSS work at this
accuracy). The projection itself is exact to the millimetre; values are written to the
centimetre."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _
from pyproj import Transformer

CRS_PARAMETER = "crs"


@dataclass(frozen=True)
class Grid:
    """A projected CRS an export can be asked for: its name in `?crs=` and its OGC URN."""

    code: str
    urn: str

    def project(
        self, latitudes: Sequence[float], longitudes: Sequence[float]
    ) -> tuple[list[float], list[float]]:
        """Eastings and northings in metres, rounded to the centimetre."""
        eastings, northings = _transformer(self.code).transform(longitudes, latitudes)
        return [round(e, 2) for e in eastings], [round(n, 2) for n in northings]


WGS84 = "EPSG:4326"
SWEREF99TM = Grid("EPSG:3006", "urn:ogc:def:crs:EPSG::3006")
GRIDS = {SWEREF99TM.code: SWEREF99TM}


@cache
def _transformer(code: str) -> Transformer:
    # EPSG:4619 is SWEREF 99 geographic; always_xy keeps longitude, latitude in and easting,
    # northing out whatever the CRS's own axis order.
    return Transformer.from_crs("EPSG:4619", code, always_xy=True)


class UnknownCRS(ValueError):
    pass


def grid_named(name: str | None) -> Grid | None:
    """The grid asked for, or None for WGS 84 (also when asked for by name)."""
    if name in (None, WGS84):
        return None
    try:
        return GRIDS[name]
    except KeyError:
        raise UnknownCRS(
            _("Unknown coordinate reference system {name}: use {choices}.").format(
                name=name, choices=", ".join([WGS84, *GRIDS])
            )
        ) from None


# --- Rows streamed by PostgreSQL (trygghet.core.exports), projected on their way out

BATCH = 5000
GEOMETRY_PLACEHOLDER = b'"geometry" : null'


def _number(value: float, decimal_comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal_comma else text


def _lines(chunks: Iterator[bytes]) -> Iterator[str]:
    """The text lines of a stream of chunks (a line may span two chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    rest = ""
    for chunk in chunks:
        lines = (rest + decoder.decode(chunk)).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith("\n") else ""
        yield from lines
    if rest := rest + decoder.decode(b"", final=True):
        yield rest


def projected_csv(
    chunks: Iterator[bytes],
    grid: Grid,
    *,
    latitude: int,
    longitude: int,
    delimiter: str,
    decimal_comma: bool,
) -> Iterator[bytes]:
    """CSV rows with the latitude and longitude cells (at those indexes) replaced by easting and
    northing, in batches so that PROJ works on arrays; text cells go through untouched (a CSV
    reader, since a quoted cell may hold a line break)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")

    def flush(batch: list[list[str]]) -> bytes:
        located = [row for row in batch if row[latitude]]
        if located:
            eastings, northings = grid.project(
                [float(row[latitude].replace(",", ".")) for row in located],
                [float(row[longitude].replace(",", ".")) for row in located],
            )
            for row, easting, northing in zip(located, eastings, northings, strict=True):
                row[latitude] = _number(easting, decimal_comma)
                row[longitude] = _number(northing, decimal_comma)
        writer.writerows(batch)
        data = out.getvalue().encode()
        out.seek(0)
        out.truncate()
        return data

    batch: list[list[str]] = []
    for row in csv.reader(_lines(chunks), delimiter=delimiter):
        batch.append(row)
        if len(batch) >= BATCH:
            yield flush(batch)
            batch = []
    if batch:
        yield flush(batch)


def projected_features(chunks: Iterator[bytes], grid: Grid) -> Iterator[bytes]:
    """Feature lines streamed as `latitude \\x02 longitude \\x02 feature`, the feature with a
    null geometry, become the features with their point in the grid. The placeholder is found
    where PostgreSQL's json_build_object puts it, before the properties (which hold free text)."""
    for chunk in chunks:
        rows = [line.split(b"\x02", 2) for line in chunk.splitlines()]
        located = [row for row in rows if row[0]]
        eastings, northings = grid.project(
            [float(row[0]) for row in located], [float(row[1]) for row in located]
        )
        points = iter(zip(eastings, northings, strict=True))
        lines = []
        for lat, _lon, feature in rows:
            if lat:
                easting, northing = next(points)
                point = f'"geometry" : {{"type": "Point", "coordinates": [{easting:.2f}, {northing:.2f}]}}'
                feature = feature.replace(GEOMETRY_PLACEHOLDER, point.encode(), 1)
            lines.append(feature)
        yield b"\n".join(lines) + b"\n"


def named_crs_member(grid: Grid) -> bytes:
    """The GeoJSON 2008 named-CRS member that GDAL and QGIS read (RFC 7946 dropped it)."""
    member = {"type": "name", "properties": {"name": grid.urn}}
    return f'"crs": {json.dumps(member)}, '.encode()
