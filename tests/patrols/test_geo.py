from patrols.geo import area_at
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
