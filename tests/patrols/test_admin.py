"""The patrols admin's actions use the services and its area form checks the boundary
(tests/test_admin.py opens every model's pages)."""

from datetime import timedelta

from django.urls import reverse

from patrols.models import ShiftState
from tests.patrols.factories import make_shift


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
