import pytest

from tests.incidents.conftest import area, other_shift, shift  # noqa: F401
from tests.properties.conftest import finder, own_building, own_deviation  # noqa: F401
from trygghet.audit.models import Read


@pytest.fixture
def reads():
    """The audit rows written since the test started, oldest first, as (user, type, id, rows)."""

    def get():
        return [
            (read.user.username, read.subject_type, read.subject_id, read.rows)
            for read in Read.objects.select_related("user").order_by("id")
        ]

    return get
