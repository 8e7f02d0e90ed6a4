"""SWEREF 99 TM (EPSG:3006) on the exports: `?crs=EPSG:3006` gives easting and northing in
metres, checked to the centimetre against Lantmäteriet's own formulas, and GDAL reads the
GeoJSON as EPSG:3006; WGS 84 stays the default and an unknown system is a 400."""

import csv
import io
import json
import math
from decimal import Decimal

import pyogrio.raw
import pytest
import shapely

from tests.incidents.factories import IncidentFactory
from tests.patrols.factories import AreaFactory
from tests.properties.factories import PropertyFactory
from trygghet.core.crs import SWEREF99TM

# SWEREF 99 TM: GRS 80, central meridian 15° E, scale 0.9996, false easting 500 000 m.
A = 6378137.0
F = 1 / 298.257222101
MERIDIAN, SCALE, FALSE_EASTING = 15.0, 0.9996, 500000.0


def gauss_kruger(lat: float, lon: float) -> tuple[float, float]:
    """Easting and northing by the Gauss–Krüger formulas as Lantmäteriet publishes them ("Gauss
    konforma projektion (transversal Mercator)", latitude to grid): an independent route to the
    same numbers, sub-millimetre across Sweden."""
    e2 = F * (2 - F)
    n = F / (2 - F)
    a_hat = A / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    big_a = e2
    big_b = (5 * e2**2 - e2**3) / 6
    big_c = (104 * e2**3 - 45 * e2**4) / 120
    big_d = 1237 * e2**4 / 1260
    beta = [
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
        61 * n**3 / 240 - 103 * n**4 / 140,
        49561 * n**4 / 161280,
    ]
    phi, lam = math.radians(lat), math.radians(lon)
    s = math.sin(phi)
    phi_star = phi - s * math.cos(phi) * (big_a + big_b * s**2 + big_c * s**4 + big_d * s**6)
    delta = lam - math.radians(MERIDIAN)
    xi = math.atan(math.tan(phi_star) / math.cos(delta))
    eta = math.atanh(math.cos(phi_star) * math.sin(delta))
    x = xi + sum(b * math.sin(2 * k * xi) * math.cosh(2 * k * eta) for k, b in enumerate(beta, 1))
    y = eta + sum(b * math.cos(2 * k * xi) * math.sinh(2 * k * eta) for k, b in enumerate(beta, 1))
    return SCALE * a_hat * y + FALSE_EASTING, SCALE * a_hat * x


# Points from the southern tip to the northern one, and the far east where the zone is widest.
CONTROL_POINTS = [
    (55.336944, 13.359444),  # Smygehuk
    (59.329444, 18.068611),  # Stockholm
    (59.609900, 16.544800),  # Västerås, the demo municipality
    (65.834722, 24.136111),  # Haparanda, 9° east of the central meridian
    (69.059722, 20.548889),  # Treriksröset
]


@pytest.mark.parametrize(("lat", "lon"), CONTROL_POINTS)
def test_the_projection_agrees_with_lantmateriets_formulas_to_the_centimetre(lat, lon):
    (easting,), (northing,) = SWEREF99TM.project([lat], [lon])
    expected_easting, expected_northing = gauss_kruger(lat, lon)
    assert abs(easting - expected_easting) <= 0.01
    assert abs(northing - expected_northing) <= 0.01


def test_the_central_meridian_is_500_km_east():
    (easting,), _northing = SWEREF99TM.project([60.0], [15.0])
    assert easting == 500000.0


@pytest.fixture
def placed(persona):
    return IncidentFactory(
        reported_by=persona("host"),
        description='Sten, "kastad"\nandra raden',
        latitude=Decimal("59.609900"),
        longitude=Decimal("16.544800"),
    )


def expected_metres(incident) -> tuple[float, float]:
    easting, northing = gauss_kruger(float(incident.latitude), float(incident.longitude))
    return round(easting, 2), round(northing, 2)


def rows(body: bytes, delimiter=","):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_the_api_csv_in_sweref_99_tm(client_as, placed):
    response = client_as("chief").get("/api/v1/incidents/?format=csv&crs=EPSG:3006")
    assert response.status_code == 200
    header, row = rows(response.getvalue())
    assert "latitude" not in header
    easting, northing = expected_metres(placed)
    assert row[header.index("easting")] == f"{easting:.2f}"
    assert row[header.index("northing")] == f"{northing:.2f}"
    # Free text with a quote, a comma and a line break goes through as it was.
    assert row[header.index("description")] == 'Sten, "kastad"\nandra raden'


def test_the_excel_csv_in_sweref_99_tm_has_decimal_commas(client_as, placed):
    response = client_as("chief").get(
        "/api/v1/incidents/?format=csv&dialect=excel-sv&crs=EPSG:3006"
    )
    header, row = rows(response.getvalue(), ";")
    easting, _northing = expected_metres(placed)
    assert row[header.index("Östlig koordinat (m)")] == f"{easting:.2f}".replace(".", ",")


def test_the_page_download_in_sweref_99_tm(client_as, placed):
    response = client_as("chief").get("/incidents/export.csv?crs=EPSG:3006")
    assert response.status_code == 200
    header, row = rows(response.getvalue(), ";" if b";" in response.getvalue()[:200] else ",")
    assert any("(m)" in name or name == "easting" for name in header)


def test_the_geojson_carries_the_named_crs_and_gdal_reads_it(client_as, placed, persona, tmp_path):
    IncidentFactory(reported_by=persona("host"), latitude=None, longitude=None)
    response = client_as("chief").get("/api/v1/incidents/?format=geojson&crs=EPSG:3006")
    assert response.status_code == 200
    body = response.getvalue()
    collection = json.loads(body)
    assert collection["crs"] == {
        "type": "name",
        "properties": {"name": "urn:ogc:def:crs:EPSG::3006"},
    }
    by_id = {feature["id"]: feature for feature in collection["features"]}
    assert list(by_id[placed.pk]["geometry"]["coordinates"]) == list(expected_metres(placed))
    assert len([f for f in collection["features"] if f["geometry"] is None]) == 1

    path = tmp_path / "incidents.geojson"
    path.write_bytes(body)
    meta, _fids, geometries, _fields = pyogrio.raw.read(path)
    assert meta["crs"] == "EPSG:3006"
    points = [shapely.from_wkb(g) for g in geometries if g is not None]
    assert [(p.x, p.y) for p in points] == [expected_metres(placed)]


def test_wgs_84_stays_the_default(client_as, placed):
    body = client_as("chief").get("/api/v1/incidents/?format=geojson").getvalue()
    collection = json.loads(body)
    assert "crs" not in collection
    assert collection["features"][0]["geometry"]["coordinates"] == [16.5448, 59.6099]
    explicit = client_as("chief").get("/api/v1/incidents/?format=geojson&crs=EPSG:4326")
    assert json.loads(explicit.getvalue()) == collection


def test_the_areas_shapes_and_the_register_in_sweref_99_tm_open_in_gdal(client_as, db, tmp_path):
    AreaFactory(name="Torget")
    building = PropertyFactory(latitude=Decimal("59.6099"), longitude=Decimal("16.5448"))
    chief = client_as("chief")
    for url, name in [
        ("/api/v1/areas/?format=geojson&crs=EPSG:3006", "areas.geojson"),
        ("/api/v1/properties/?format=geojson&crs=EPSG:3006", "register.geojson"),
    ]:
        response = chief.get(url)
        assert response.status_code == 200
        collection = json.loads(response.content)
        assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3006"
        path = tmp_path / name
        path.write_bytes(response.content)
        meta, _fids, geometries, _fields = pyogrio.raw.read(path)
        assert meta["crs"] == "EPSG:3006"
        shape = shapely.from_wkb(geometries[0])
        # Metres in the grid, where Sweden's eastings lie between 200 and 1 000 km.
        assert 200_000 < shape.bounds[0] < shape.bounds[2] + 1 < 1_000_000
    point = json.loads(chief.get("/api/v1/properties/?format=geojson&crs=EPSG:3006").content)
    assert point["features"][0]["geometry"]["coordinates"] == list(expected_metres(building))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/incidents/?format=csv&crs=EPSG:9999",
        "/api/v1/incidents/?format=geojson&crs=sweref",
        "/api/v1/incidents/?crs=EPSG:3857",
        "/incidents/export.csv?crs=EPSG:9999",
    ],
)
def test_an_unknown_crs_is_a_400(client_as, db, url):
    response = client_as("chief").get(url)
    assert response.status_code == 400
    assert "EPSG:3006" in response.content.decode()
