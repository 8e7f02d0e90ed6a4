import json
import math

import pytest
import shapely
from django.core.exceptions import ValidationError

from patrols.geo import area_at, area_in_square_metres, validate_boundary
from tests.patrols.factories import AreaFactory, square


def test_area_at_finds_the_containing_area(db):
    inside = AreaFactory(boundary=square(16.50, 59.60))
    AreaFactory(boundary=square(16.60, 59.60))
    assert area_at(lat=59.602, lon=16.502) == inside


def test_area_at_is_none_outside_every_area(db):
    AreaFactory(boundary=square(16.50, 59.60))
    assert area_at(lat=59.70, lon=16.502) is None


def test_inactive_areas_are_not_found(db):
    AreaFactory(boundary=square(16.50, 59.60), active=False)
    assert area_at(lat=59.602, lon=16.502) is None


# --- Checking a drawn boundary

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[16.50, 59.60], [16.51, 59.61], [16.51, 59.60], [16.50, 59.61], [16.50, 59.60]]
    ],
}


def test_a_square_is_accepted_and_comes_back_counter_clockwise():
    clockwise = square(16.50, 59.60)
    clockwise["coordinates"][0].reverse()
    cleaned = validate_boundary(clockwise)
    assert cleaned["type"] == "Polygon"
    ring = cleaned["coordinates"][0]
    assert ring[0] == ring[-1]
    assert shapely.Polygon(ring).exterior.is_ccw


def test_geojson_text_from_a_form_field_is_accepted():
    assert validate_boundary(json.dumps(square(16.5, 59.6)))["type"] == "Polygon"


def test_a_multipolygon_is_accepted():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(16.50, 59.60)["coordinates"], square(16.52, 59.60)["coordinates"]],
    }
    assert validate_boundary(multi)["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("boundary", "code", "words"),
    [
        ({"type": "Point", "coordinates": [16.5, 59.6]}, "wrong_type", "Polygon"),
        ({"type": "LineString", "coordinates": [[16.5, 59.6], [16.6, 59.6]]}, "wrong_type", "inte"),
        ("{not json", "invalid", "GeoJSON"),
        ([1, 2, 3], "invalid", "GeoJSON"),
        ({"type": "Polygon", "coordinates": []}, "empty", ""),
        (
            {"type": "Polygon", "coordinates": [[[16.5, 59.6], [16.51, 59.6], [16.5, 59.6]]]},
            "short_ring",
            "fyra",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[16.5, 59.6], [16.51, 59.6], [16.51, 59.61], [16.5, 59.61]]],
            },
            "open_ring",
            "",
        ),
        (BOWTIE, "self_intersection", ""),
        (square(200, 59.6), "out_of_range", "180"),
        (square(16.5, 95), "out_of_range", "90"),
        (square(59.6, 16.5), "outside", ""),
        (square(2.35, 48.85), "outside", ""),
        (
            {
                "type": "Polygon",
                "coordinates": [[["16.5", 59.6], [16.51, 59.6], [16.51, 59.61], ["16.5", 59.6]]],
            },
            "position",
            "",
        ),
        (square(16.5, 59.6, size=0.00005), "too_small", ""),
        (square(16.5, 59.6, size=0.2), "too_big", ""),
    ],
    ids=[
        "point",
        "line",
        "not-json",
        "not-an-object",
        "no-ring",
        "short-ring",
        "open-ring",
        "self-intersecting",
        "longitude-out-of-range",
        "latitude-out-of-range",
        "swapped-coordinates",
        "outside-sweden",
        "text-coordinates",
        "too-small",
        "too-big",
    ],
)
def test_bad_boundaries_get_a_clear_message(boundary, code, words):
    with pytest.raises(ValidationError) as raised:
        validate_boundary(boundary)
    assert raised.value.code == code
    assert words in raised.value.messages[0]


def test_messages_are_swedish():
    with pytest.raises(ValidationError, match="korsar sig själv"):
        validate_boundary(BOWTIE)


def test_a_huge_payload_is_refused_before_it_is_parsed():
    ring = [[16.5 + i * 1e-7, 59.6] for i in range(20_000)]
    with pytest.raises(ValidationError) as raised:
        validate_boundary({"type": "Polygon", "coordinates": [ring + ring[:1]]})
    assert raised.value.code == "too_large"


def test_too_many_points_are_refused():
    corners = 2_500
    ring = [
        [
            16.5 + 0.01 * math.cos(2 * math.pi * n / corners),
            59.6 + 0.005 * math.sin(2 * math.pi * n / corners),
        ]
        for n in range(corners)
    ]
    with pytest.raises(ValidationError) as raised:
        validate_boundary({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert raised.value.code in ("too_many_points", "too_large")


def test_area_size_is_in_square_metres():
    # 0.004° of latitude is 445 m; of longitude at 59.6° north 225 m.
    assert area_in_square_metres(shapely.geometry.shape(square(16.5, 59.6))) == pytest.approx(
        100_300, rel=0.01
    )
