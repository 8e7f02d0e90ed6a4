from datetime import timedelta

import pytest

from patrols.models import Visit
from tests.patrols.factories import (
    FRIDAY_21,
    AreaFactory,
    AssignmentFactory,
    VehicleFactory,
    make_shift,
    square,
)


@pytest.fixture
def world(persona):
    """Torget with an assignment every night 21–02, a car, the host's shift next week, and
    tonight's active shift of the host and a colleague with a visit in Torget. The summary, the
    note and the consultation note name people, as free text does."""
    area = AreaFactory(name="Torget", boundary=square(16.50, 59.60))
    assignment = AssignmentFactory(area=area, created_by=persona("chief"))
    planned = make_shift(hosts=[persona("host")], start=FRIDAY_21 + timedelta(days=7))
    active = make_shift(
        hosts=[persona("host"), persona("other_host")], start=FRIDAY_21, active=True
    )
    active.summary = "Pratade med Kalle Anka vid torget."
    active.save(update_fields=["summary"])
    visit = Visit.objects.create(
        shift=active, area=area, arrived_at=FRIDAY_21, recorded_by=persona("host"), note="Kalle"
    )
    return {
        "area": area,
        "assignment": assignment,
        "vehicle": VehicleFactory(),
        "planned": planned,
        "active": active,
        "visit": visit,
    }
