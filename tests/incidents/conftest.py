import pytest

from tests.incidents.factories import IncidentFactory
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift


@pytest.fixture
def shift(persona):
    """The host's running shift, with its phone line."""
    return make_shift(hosts=[persona("host")], active=True, phone_line=PhoneLineFactory())


@pytest.fixture
def other_shift(persona):
    return make_shift(hosts=[persona("other_host")], active=True, phone_line=PhoneLineFactory())


@pytest.fixture
def area(db):
    # Covers the factory incidents' default position (59.61, 16.54).
    return AreaFactory(
        name="Centrum",
        boundary={
            "type": "Polygon",
            "coordinates": [
                [[16.53, 59.60], [16.55, 59.60], [16.55, 59.62], [16.53, 59.62], [16.53, 59.60]]
            ],
        },
    )


@pytest.fixture
def incident(persona, shift, area):
    # In an area, as the services place it: a partner sees incidents in their areas only.
    return IncidentFactory(reported_by=persona("host"), shift=shift, area=area)


@pytest.fixture
def others_incident(persona, other_shift, area):
    return IncidentFactory(reported_by=persona("other_host"), shift=other_shift, area=area)
