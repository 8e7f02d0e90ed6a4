"""The patrols admin's actions use the services and its area form checks the boundary
(tests/test_admin.py opens every model's pages)."""

from datetime import timedelta

from django.urls import reverse

from patrols.models import Area, ShiftState
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


def _area_post(boundary: str, **extra) -> dict:
    return {
        "name": "Torget",
        "kind": "centre",
        "notes": "",
        "boundary": boundary,
        "active": "on",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        **extra,
    }


def test_a_boundary_changed_in_the_admin_is_a_new_version(client_as, persona):
    client = client_as("admin")
    first = '{"type": "Polygon", "coordinates": [[[16.5, 59.6], [16.504, 59.6], [16.504, 59.604], [16.5, 59.604], [16.5, 59.6]]]}'  # noqa: E501
    assert client.post(reverse("admin:patrols_area_add"), _area_post(first)).status_code == 302
    area = Area.objects.get(name="Torget")
    [version] = area.versions.all()
    moved = first.replace("16.504", "16.506")
    response = client.post(
        reverse("admin:patrols_area_change", args=[area.pk]),
        _area_post(
            moved,
            reason="Rättat efter samrådet.",
            **{
                "versions-TOTAL_FORMS": "1",
                "versions-INITIAL_FORMS": "1",
                "versions-0-id": version.pk,
                "versions-0-area": area.pk,
            },  # noqa: E501
        ),
    )
    assert response.status_code == 302
    latest = area.versions.order_by("-number").first()
    assert (latest.number, latest.reason, latest.changed_by) == (
        2,
        "Rättat efter samrådet.",
        persona("admin"),
    )
