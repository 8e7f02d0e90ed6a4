from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.factories import make_request, request_in
from trygghet.dispatch.models import Position, State


@pytest.fixture
def call_outs(persona, car):
    chief = persona("chief")
    return [make_request(by=chief), request_in(State.ON_SCENE, by=chief, shift=car)]


def test_admin_calls_off_through_the_service(client_as, persona, call_outs):
    waiting, on_scene = call_outs
    response = client_as("admin").post(
        reverse("admin:dispatch_dispatchrequest_changelist"),
        {"action": "cancel", "_selected_action": [waiting.pk, on_scene.pk]},
        follow=True,
    )
    assert response.status_code == 200
    waiting.refresh_from_db()
    on_scene.refresh_from_db()
    assert waiting.state == State.CANCELLED
    assert waiting.steps.last().by == persona("admin")
    assert on_scene.state == State.ON_SCENE  # on scene: only clearing ends it
    assert "kan inte gå från" in response.content.decode()


def test_admin_purges_positions_past_their_time(client_as, persona, car):
    old = timezone.now() - timedelta(hours=3)
    Position.objects.create(
        shift=car, host=persona("host"), latitude=59.6, longitude=16.5, recorded_at=old
    )
    newest = Position.objects.create(shift=car, host=persona("host"), latitude=59.6, longitude=16.5)
    client_as("admin").post(
        reverse("admin:dispatch_position_changelist"),
        {"action": "purge", "_selected_action": [newest.pk]},
    )
    assert list(Position.objects.all()) == [newest]
