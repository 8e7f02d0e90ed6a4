import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from patrols.models import Visit
from tests.patrols.factories import AreaFactory, make_shift
from trygghet.core.idempotency import create_once


@pytest.fixture
def shift(persona):
    return make_shift(hosts=[persona("host")])


def record(shift, host, key):
    return create_once(
        Visit,
        client_key=key,
        create=lambda: Visit.objects.create(
            shift=shift,
            area=AreaFactory(),
            arrived_at=timezone.now(),
            recorded_by=host,
            client_key=key,
        ),
        owner_field="recorded_by",
        owner=host,
    )


def test_the_same_key_five_times_makes_one_row(shift, persona):
    key = uuid.uuid4()
    results = [record(shift, persona("host"), key) for _ in range(5)]
    assert Visit.objects.count() == 1
    assert [created for _visit, created in results] == [True, False, False, False, False]
    assert len({visit.pk for visit, _created in results}) == 1


def test_without_a_key_each_submission_is_new(shift, persona):
    record(shift, persona("host"), None)
    record(shift, persona("host"), None)
    assert Visit.objects.count() == 2


def test_another_users_key_is_refused(shift, persona):
    key = uuid.uuid4()
    record(shift, persona("host"), key)
    with pytest.raises(PermissionDenied):
        record(shift, persona("other_host"), key)
