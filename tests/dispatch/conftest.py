import pytest

from tests.incidents.conftest import area  # noqa: F401  (Centrum, around the default position)
from tests.patrols.factories import PhoneLineFactory, VehicleFactory, make_shift


@pytest.fixture
def car(persona):
    """The host's running shift in Trygghetsbil 1."""
    return make_shift(
        hosts=[persona("host")],
        active=True,
        vehicle=VehicleFactory(name="Trygghetsbil 1"),
        phone_line=PhoneLineFactory(number="0722-31 39 41"),
    )


@pytest.fixture
def other_car(persona):
    """Another host's running shift in Trygghetsbil 2."""
    return make_shift(
        hosts=[persona("other_host")],
        active=True,
        vehicle=VehicleFactory(name="Trygghetsbil 2"),
        phone_line=PhoneLineFactory(number="0722-31 40 69"),
    )
