import pytest

from tests.incidents.conftest import area  # noqa: F401  (Centrum, around the default position)
from tests.patrols.factories import PhoneLineFactory, VehicleFactory, make_shift


def _running(host, car: str, number: str):
    return make_shift(
        hosts=[host],
        active=True,
        vehicle=VehicleFactory(name=car),
        phone_line=PhoneLineFactory(number=number),
    )


@pytest.fixture
def car(persona):
    """The host's running shift in Trygghetsbil 1."""
    return _running(persona("host"), "Trygghetsbil 1", "0722-31 39 41")


@pytest.fixture
def other_car(persona):
    """Another host's running shift in Trygghetsbil 2."""
    return _running(persona("other_host"), "Trygghetsbil 2", "0722-31 40 69")
