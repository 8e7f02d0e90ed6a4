"""The one rule for a position, and the form and API fields that apply it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from patrols.positions import (
    CoordinateSerializerField,
    PositionFields,
    check_position,
    coordinate,
)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("55.0", "10.9"),
        ("69.1", "24.2"),
        ("55.0", "24.2"),
        ("69.1", "10.9"),
    ],
    ids=["south-west", "north-east", "south-east", "north-west"],
)
def test_the_corners_of_swedens_box_are_inside(latitude, longitude):
    assert check_position(latitude, longitude) == (Decimal(latitude), Decimal(longitude))


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("54.999999", "16.5"),
        ("69.100001", "16.5"),
        ("59.6", "10.899999"),
        ("59.6", "24.200001"),
        ("48.85", "2.35"),
    ],
    ids=["south", "north", "west", "east", "paris"],
)
def test_just_outside_the_box_is_outside_sweden(latitude, longitude):
    with pytest.raises(ValidationError) as refused:
        check_position(latitude, longitude)
    assert refused.value.error_dict["latitude"][0].code == "outside_sweden"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (1e308, "out_of_range"),
        ("1e308", "out_of_range"),
        ("-1e308", "out_of_range"),
        ("1e999999999999", "out_of_range"),
        (float("nan"), "out_of_range"),
        ("NaN", "out_of_range"),
        ("sNaN", "out_of_range"),
        (float("inf"), "out_of_range"),
        ("-Infinity", "out_of_range"),
        ("90.000001", "out_of_range"),
        ("norr", "invalid"),
        ("59,6", "invalid"),
        (True, "invalid"),
        ([59.6], "invalid"),
        ({"lat": 59.6}, "invalid"),
    ],
)
def test_what_is_not_a_coordinate_is_a_clear_error_on_its_field(value, code):
    with pytest.raises(ValidationError) as refused:
        coordinate(value, "latitude")
    [error] = refused.value.error_dict["latitude"]
    assert error.code == code


def test_the_message_is_translated():
    with pytest.raises(ValidationError) as refused:
        coordinate("1e308", "longitude")
    assert refused.value.message_dict == {
        "longitude": ["Longituden måste vara ett tal mellan -180 och 180."]
    }


def test_a_coordinate_is_rounded_to_six_decimals_whatever_was_sent():
    assert coordinate(59.61123456789) == Decimal("59.611235")
    assert coordinate(" 16.5 ", "longitude") == Decimal("16.500000")
    assert coordinate(None) is None
    assert coordinate("") is None


def test_both_coordinates_or_neither():
    assert check_position(None, None) == (None, None)
    with pytest.raises(ValidationError) as refused:
        check_position("59.6", None)
    assert refused.value.error_dict["latitude"][0].code == "position"


class Form(PositionFields):
    pass


class RequiredForm(PositionFields):
    position_required = True


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"latitude": "1e308", "longitude": "16.5"}, "latitude", "mellan -90 och 90"),
        ({"latitude": "59.6", "longitude": "NaN"}, "longitude", "mellan -180 och 180"),
        ({"latitude": "norr", "longitude": "16.5"}, "latitude", "Latituden är inte ett tal"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "utanför Sverige"),
        ({"latitude": "59.6", "longitude": ""}, "latitude", "både latitud och longitud"),
    ],
)
def test_the_form_fields_refuse_with_the_rules_message(data, field, message):
    form = Form(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_form_fields_take_a_phones_decimals_and_round_them():
    form = Form({"latitude": "59.611234567891234", "longitude": "16.541"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"latitude": Decimal("59.611235"), "longitude": Decimal("16.541")}
    assert Form({}).is_valid()
    assert not RequiredForm({}).is_valid()


@pytest.mark.parametrize(
    ("value", "message"),
    [(1e308, "mellan -90 och 90"), ("NaN", "mellan -90 och 90"), ("norr", "inte ett tal")],
)
def test_the_api_field_refuses_with_the_rules_message(value, message):
    field = CoordinateSerializerField(axis="latitude")
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(value)
    assert message in str(refused.value.detail[0])


def test_the_api_field_reads_a_string_with_six_decimals_and_takes_a_number():
    field = CoordinateSerializerField(axis="longitude", allow_null=True)
    assert field.run_validation(16.54123456) == Decimal("16.541235")
    assert field.run_validation(None) is None
    assert field.to_representation(Decimal("16.5")) == "16.500000"
