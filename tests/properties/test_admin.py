import pytest
from django.urls import reverse

from properties.models import DeviationState


@pytest.mark.parametrize("model", ["property", "propertycheck", "deviation", "deviationstep"])
def test_admin_lists_search_and_filter(client_as, own_deviation, model):
    client = client_as("admin")
    url = reverse(f"admin:properties_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Vallby"}).status_code == 200


def test_admin_pages_of_one_deviation_and_building(client_as, own_deviation):
    client = client_as("admin")
    for url in (
        reverse("admin:properties_deviation_change", args=[own_deviation.pk]),
        reverse("admin:properties_property_change", args=[own_deviation.property_id]),
        reverse("admin:properties_propertycheck_change", args=[own_deviation.property_check_id]),
        reverse("admin:properties_deviationphoto_change", args=[own_deviation.photos.get().pk]),
    ):
        assert client.get(url).status_code == 200


def test_admin_action_acknowledges_through_the_service(client_as, persona, own_deviation):
    response = client_as("admin").post(
        reverse("admin:properties_deviation_changelist"),
        {"action": "acknowledge", "_selected_action": [own_deviation.pk]},
    )
    assert response.status_code == 302
    own_deviation.refresh_from_db()
    assert own_deviation.state == DeviationState.ACKNOWLEDGED
    assert own_deviation.steps.last().by == persona("admin")
