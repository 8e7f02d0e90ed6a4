"""The admin of every patrols model opens, searches and filters; its actions use the services."""

from datetime import timedelta

import pytest
from django.urls import reverse

from patrols.models import ShiftState, Visit
from tests.patrols.factories import (
    AreaFactory,
    AssignmentFactory,
    PhoneLineFactory,
    VehicleFactory,
    make_shift,
)

MODELS = ["area", "assignment", "vehicle", "phoneline", "shift", "visit"]


@pytest.fixture
def admin_client_(client_as, persona):
    area = AreaFactory()
    AssignmentFactory(area=area)
    VehicleFactory()
    PhoneLineFactory()
    shift = make_shift(hosts=[persona("host")], active=True)
    Visit.objects.create(
        shift=shift, area=area, arrived_at=shift.planned_start, recorded_by=persona("host")
    )
    return client_as("admin")


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_working_admin(admin_client_, model):
    url = reverse(f"admin:patrols_{model}_changelist")
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.get(url, {"q": "a"}).status_code == 200
    obj_url = reverse(f"admin:patrols_{model}_change", args=[1])
    assert admin_client_.get(obj_url).status_code in (200, 302)


def test_the_cancel_action_uses_the_service(client_as, persona):
    planned = make_shift(hosts=[persona("host")])
    active = make_shift(
        hosts=[persona("host")], start=planned.planned_end + timedelta(hours=1), active=True
    )
    response = client_as("admin").post(
        reverse("admin:patrols_shift_changelist"),
        {"action": "cancel", "_selected_action": [planned.pk, active.pk]},
        follow=True,
    )
    planned.refresh_from_db()
    active.refresh_from_db()
    assert (planned.state, active.state) == (ShiftState.CANCELLED, ShiftState.ACTIVE)
    assert all(row.cancelled for row in planned.shift_hosts.all())
    assert "Bara ett planerat pass" in response.content.decode()


def test_an_area_with_a_bad_boundary_is_refused_in_the_admin(client_as, db):
    response = client_as("admin").post(
        reverse("admin:patrols_area_add"),
        {
            "name": "Fel",
            "kind": "park",
            "boundary": '{"type": "Point", "coordinates": [16.5, 59.6]}',
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Polygon" in response.content.decode()
