"""The list pages with a filter form refuse a query parameter that none of their filters reads:
a 400 whose page says which one and what there is, as for a bad filter value."""

import pytest
from django.urls import reverse

PAGES = [
    ("incidents:incident-list", "severity"),
    ("incidents:incident-export", "severity"),
    ("dashboard:lagesbild", "group"),
    ("dashboard:report", "group"),
    ("dispatch:request-list", "priority"),
    ("properties:deviation-list", "state"),
    ("properties:figures", "first"),
]


@pytest.mark.parametrize(("name", "known"), PAGES)
def test_an_unknown_parameter_is_a_400_that_says_so(client_as, name, known):
    response = client_as("chief").get(reverse(name), {"severty": "2"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Okänd parameter severty: använd " in text
    assert known in text.split("Okänd parameter severty: använd ")[1].split(".")[0]


@pytest.mark.parametrize("name", [name for name, _known in PAGES])
def test_without_parameters_the_page_is_fine(client_as, name):
    assert client_as("chief").get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name", ["incidents:incident-list", "dispatch:request-list", "properties:deviation-list"]
)
def test_the_page_number_is_known(client_as, name):
    assert client_as("chief").get(reverse(name), {"page": "2"}).status_code == 200
