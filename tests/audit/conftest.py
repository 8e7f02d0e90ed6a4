import pytest
from django.db import connection

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


@pytest.fixture
def refusing_inserts(db):
    """The trail's table refuses every new row, as a full disk or a lost privilege would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no room'; END $$;"
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_read "
            "FOR EACH ROW EXECUTE FUNCTION refuse();"
        )
