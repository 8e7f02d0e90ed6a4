"""An area's boundary keeps its history: an edit makes a new version with who, when and why;
the map shows an area as it was on a date; overlaps are found and the rule for a point in two
areas is written down."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patrols import services
from patrols.geo import AreaLocator, overlaps
from patrols.models import AreaVersion
from tests.patrols.factories import AreaFactory, square

MARCH = datetime(2026, 3, 2, 9, tzinfo=UTC)
JUNE = datetime(2026, 6, 1, 9, tzinfo=UTC)


@pytest.fixture
def edited(persona):
    """Drawn in March, widened in June after the police consultation."""
    with time_machine.travel(MARCH, tick=False):
        area = services.area_create(
            name="Stadsparken", kind="park", boundary=square(16.50, 59.60), by=persona("chief")
        )
    with time_machine.travel(JUNE, tick=False):
        services.area_update(
            area=area,
            name="Stadsparken",
            kind="park",
            boundary=square(16.50, 59.60, 0.008),
            by=persona("chief"),
            reason="Samråd med polisen 28 maj: ta med gångvägen.",
        )
    return area


def test_a_new_boundary_is_a_new_version_with_who_when_and_why(edited, persona):
    first, second = edited.versions.order_by("number")
    assert (first.number, first.created_at, first.boundary) == (1, MARCH, square(16.50, 59.60))
    assert (second.number, second.created_at) == (2, JUNE)
    assert second.changed_by == persona("chief")
    assert second.reason == "Samråd med polisen 28 maj: ta med gångvägen."
    assert edited.boundary == second.boundary


def test_changing_only_the_name_keeps_the_version(edited):
    services.area_update(
        area=edited, name="Stora parken", kind="park", boundary=edited.boundary, notes="Ny text."
    )
    assert edited.versions.count() == 2


def test_the_versions_as_on_a_day(edited):
    assert AreaVersion.objects.as_on(date(2026, 2, 1)).count() == 0
    assert AreaVersion.objects.as_on(date(2026, 5, 31)).get().number == 1
    # The day of the change ends with the new boundary.
    assert AreaVersion.objects.as_on(date(2026, 6, 1)).get().number == 2


def test_the_api_reads_the_boundaries_as_they_were(client_as, edited):
    client = client_as("chief")
    [then] = client.get("/api/v1/areas/?on=2026-04-01").json()["results"]
    assert then["boundary"] == square(16.50, 59.60)
    [now] = client.get("/api/v1/areas/").json()["results"]
    assert now["boundary"] == square(16.50, 59.60, 0.008)
    assert client.get("/api/v1/areas/?on=2026-01-01").json()["results"] == []
    assert client.get("/api/v1/areas/?on=1.4.2026").status_code == 400


def test_the_api_keeps_its_query_count_with_on(client_as, django_assert_num_queries, edited):
    client = client_as("chief")
    client.get("/api/v1/areas/?on=2026-07-01")  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/areas/?on=2027-01-01")
    for n in range(5):
        AreaFactory(name=f"Extra {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        results = client.get("/api/v1/areas/?on=2027-01-01").json()["results"]
    assert len(results) == 6


def test_the_chief_edits_with_a_reason_and_sees_the_history(client_as, edited, persona):
    client = client_as("chief")
    url = reverse("patrols:area-update", args=[edited.pk])
    response = client.post(
        url,
        {
            "name": "Stadsparken",
            "kind": "park",
            "notes": "",
            "boundary": '{"type": "Polygon", "coordinates": [[[16.5, 59.6], [16.51, 59.6], '
            "[16.51, 59.61], [16.5, 59.61], [16.5, 59.6]]]}",
            "reason": "Bostadsbolaget bad om det.",
        },
    )
    assert response.status_code == 302
    latest = edited.versions.order_by("-number").first()
    assert (latest.number, latest.reason, latest.changed_by) == (
        3,
        "Bostadsbolaget bad om det.",
        persona("chief"),
    )
    page = client.get(url + "?on=2026-04-01").content.decode()
    assert "Bostadsbolaget bad om det." in page and "Samråd med polisen 28 maj" in page
    assert "som den var den 1 april 2026 (version 1)" in page
    assert 'id="area-then"' in page
    assert client.get(url + "?on=april").status_code == 400


def test_an_overlap_is_found_and_measured(db):
    AreaFactory(name="Torget", boundary=square(16.50, 59.60, 0.004))
    [found] = overlaps(square(16.502, 59.602, 0.004))
    assert found.area.name == "Torget"
    # A quarter of the square: 0.002° × 0.002° at 59.6° N, about 222 m × 113 m.
    assert 24_000 < found.square_metres < 26_000
    assert found.boundary["type"] == "Polygon"


def test_areas_that_only_touch_do_not_overlap(db):
    AreaFactory(name="Torget", boundary=square(16.50, 59.60, 0.004))
    assert overlaps(square(16.504, 59.60, 0.004)) == []


def test_saving_an_overlapping_area_warns_with_the_overlap_drawn(client_as, db):
    AreaFactory(name="Torget", boundary=square(16.50, 59.60, 0.004))
    client = client_as("chief")
    response = client.post(
        reverse("patrols:area-create"),
        {
            "name": "Gallerian",
            "kind": "centre",
            "notes": "",
            "boundary": '{"type": "Polygon", "coordinates": [[[16.502, 59.602], [16.506, 59.602], '
            "[16.506, 59.606], [16.502, 59.606], [16.502, 59.602]]]}",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Området överlappar Torget" in page
    assert '"name": "Torget"' in page.split('id="area-overlaps"')[1].split("</script>")[0]


def test_a_point_in_two_areas_belongs_to_the_smallest_then_the_first_by_name(db):
    big = AreaFactory(name="A-området", boundary=square(16.50, 59.60, 0.02))
    small = AreaFactory(name="Ö-parkeringen", boundary=square(16.505, 59.605, 0.002))
    same_size = AreaFactory(name="B-torget", boundary=square(16.5055, 59.6055, 0.002))
    locator = AreaLocator([big, same_size, small])
    assert locator.locate(lat=59.6065, lon=16.5065) == same_size  # B before Ö, same size
    assert locator.locate(lat=59.6052, lon=16.5052) == small  # only in the small one and the big
    assert locator.locate(lat=59.61, lon=16.515) == big
