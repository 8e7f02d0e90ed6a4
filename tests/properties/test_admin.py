from django.urls import reverse

from properties.models import DeviationState


def test_admin_action_acknowledges_through_the_service(client_as, persona, own_deviation):
    response = client_as("admin").post(
        reverse("admin:properties_deviation_changelist"),
        {"action": "acknowledge", "_selected_action": [own_deviation.pk]},
    )
    assert response.status_code == 302
    own_deviation.refresh_from_db()
    assert own_deviation.state == DeviationState.ACKNOWLEDGED
    assert own_deviation.steps.last().by == persona("admin")
