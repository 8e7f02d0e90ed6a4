from django.urls import reverse

from incidents.models import FollowUpState, Incident


def test_admin_action_moves_the_follow_up_through_the_service(client_as, incident):
    response = client_as("admin").post(
        reverse("admin:incidents_incident_changelist"),
        {"action": "mark_closed", "_selected_action": [incident.pk]},
    )
    assert response.status_code == 302
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.state == FollowUpState.CLOSED
    assert incident.follow_ups.get().note == "Satt i administrationen."
