import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from properties.models import DeviationPhoto
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def finder(persona):
    """A second host, on a shift now, who finds the deviations (so `host` has no shift)."""
    host = persona("other_host")
    make_shift(hosts=[host], active=True)
    return host


@pytest.fixture
def own_building(department):
    return PropertyFactory(name="Vallbyskolan", department=department)


@pytest.fixture
def other_building(other_department):
    return PropertyFactory(name="Råby bibliotek", department=other_department)


@pytest.fixture
def own_deviation(own_building, finder):
    deviation = check(own_building, finder, failed=["locked"]).deviation
    DeviationPhoto.objects.create(deviation=deviation, image=ContentFile(png_bytes(), "a.png"))
    return deviation


@pytest.fixture
def other_deviation(other_building, finder):
    deviation = check(other_building, finder, failed=["graffiti"]).deviation
    DeviationPhoto.objects.create(deviation=deviation, image=ContentFile(png_bytes(), "b.png"))
    return deviation
