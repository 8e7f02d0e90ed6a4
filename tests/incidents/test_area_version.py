"""An incident keeps the version of its area's boundary it fell in, when the boundary later moves."""

from decimal import Decimal

from incidents import services
from patrols.services import area_update
from tests.incidents.factories import category
from tests.patrols.factories import square

IN_CENTRUM = {"latitude": Decimal("59.61"), "longitude": Decimal("16.54")}


def test_an_incident_keeps_the_area_version_it_fell_in(persona, shift, area):
    host = persona("host")
    before, _ = services.incident_create(by=host, category=category("graffiti"), **IN_CENTRUM)
    area_update(
        area=area, name=area.name, kind=area.kind, boundary=square(16.52, 59.59, 0.04), reason="X"
    )
    after, _ = services.incident_create(by=host, category=category("graffiti"), **IN_CENTRUM)
    before.refresh_from_db()
    assert (before.area, before.area_version.number) == (area, 1)
    assert (after.area, after.area_version.number) == (area, 2)


def test_moving_an_incident_out_of_every_area_clears_its_version(persona, shift, area):
    incident, _ = services.incident_create(
        by=persona("host"), category=category("graffiti"), **IN_CENTRUM
    )
    services.incident_update(
        incident=incident,
        by=persona("host"),
        latitude=Decimal("59.70"),
        longitude=Decimal("16.70"),
    )
    incident.refresh_from_db()
    assert incident.area is None and incident.area_version is None
