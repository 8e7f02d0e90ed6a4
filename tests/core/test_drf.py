"""The API's one adapter for services' refusals."""

from django.core.exceptions import ValidationError
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.test import APIRequestFactory


def _refusing(error: ValidationError):
    @api_view(["POST"])
    @authentication_classes([])
    @permission_classes([])
    @throttle_classes([])  # the throttle counts in the cache, a database table
    def view(request):
        raise error

    return view


def test_a_service_error_naming_fields_is_a_400_by_field():
    error = ValidationError({"area": ["Outside the municipality."], "at": ["In the future."]})

    response = _refusing(error)(APIRequestFactory().post("/"))

    assert response.status_code == 400
    assert response.data == {"area": ["Outside the municipality."], "at": ["In the future."]}


def test_a_service_error_without_a_field_is_a_400_with_non_field_errors():
    response = _refusing(ValidationError("The shift has ended."))(APIRequestFactory().post("/"))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["The shift has ended."]}
