"""A position in WGS84, defined once: the rule (`coordinate` and `check_position`), the model
fields, the form fields and the API fields that apply it. Incidents, citizen contacts, call-outs,
phone positions, properties and the public report form all take and store positions this way.

A coordinate is stored as a decimal with six places (about 10 cm): latitude 8 digits, longitude 9.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from patrols.models import Area

DECIMAL_PLACES = 6
MICRODEGREE = Decimal("0.000001")
# Per axis: total digits as stored, and the WGS84 range.
DIGITS = {"latitude": 8, "longitude": 9}
WGS84 = {"latitude": Decimal(90), "longitude": Decimal(180)}
# A bounding box around Sweden (WGS84). A position outside it is a phone's mistake, not a
# place the hosts patrol.
SWEDEN_LAT = (Decimal("55.0"), Decimal("69.1"))
SWEDEN_LON = (Decimal("10.9"), Decimal("24.2"))
NAMES = {"latitude": gettext_lazy("latitude"), "longitude": gettext_lazy("longitude")}
NOT_A_NUMBER = {
    "latitude": gettext_lazy("The latitude is not a number."),
    "longitude": gettext_lazy("The longitude is not a number."),
}
OUT_OF_RANGE = {
    "latitude": gettext_lazy("The latitude must be a number between -90 and 90."),
    "longitude": gettext_lazy("The longitude must be a number between -180 and 180."),
}


def parse_coordinate(value: Any, axis: str) -> Decimal | None:
    """`value` (a number or its text) as a stored coordinate, None when empty.

    Everything is checked before any arithmetic: NaN, Infinity, 1e308 or a word are the
    sender's mistake, said in words, never a crash in the rounding."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _not_a_number(axis)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _not_a_number(axis) from None
    # Comparisons only: they never round, so no size of exponent can overflow here.
    if not number.is_finite() or not -WGS84[axis] <= number <= WGS84[axis]:
        raise ValidationError(OUT_OF_RANGE[axis], code="out_of_range")
    return number.quantize(MICRODEGREE)


def coordinate(value: Any, axis: str = "latitude") -> Decimal | None:
    """A latitude or longitude as stored, or a ValidationError naming the field."""
    try:
        return parse_coordinate(value, axis)
    except ValidationError as error:
        raise ValidationError({axis: error.error_list}) from None


def check_position(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """The one rule for a position: both coordinates or neither, each a valid WGS84 number,
    together inside Sweden. Returns them as stored (six decimals)."""
    lat, lon = coordinate(latitude, "latitude"), coordinate(longitude, "longitude")
    if (lat is None) != (lon is None):
        raise ValidationError(
            {
                "latitude": ValidationError(
                    _("Give both latitude and longitude, or neither."), code="position"
                )
            }
        )
    if (
        lat is not None
        and lon is not None
        and not (SWEDEN_LAT[0] <= lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= lon <= SWEDEN_LON[1])
    ):
        raise ValidationError(
            {
                "latitude": ValidationError(
                    _("The position is outside Sweden. Check the phone's location."),
                    code="outside_sweden",
                )
            }
        )
    return lat, lon


def phone_position(params: Mapping[str, Any]) -> tuple[float, float] | None:
    """The phone's position from a page's query string (`lat`, `lon`) when it sent one the
    rule accepts; a page that only sorts or suggests by it does without otherwise."""
    try:
        lat, lon = check_position(params.get("lat"), params.get("lon"))
    except ValidationError:
        return None
    return None if lat is None or lon is None else (float(lat), float(lon))


def _not_a_number(axis: str) -> ValidationError:
    return ValidationError(NOT_A_NUMBER[axis], code="invalid")


# Models ---------------------------------------------------------------------------------------


def _model_field(axis: str, **options) -> models.DecimalField:
    return models.DecimalField(
        NAMES[axis], max_digits=DIGITS[axis], decimal_places=DECIMAL_PLACES, **options
    )


class Located(models.Model):
    """A row that is always somewhere: a building, a phone's position."""

    latitude = _model_field("latitude")
    longitude = _model_field("longitude")

    class Meta:
        abstract = True


class Positioned(models.Model):
    """A position in WGS84 from the phone or the map (both coordinates or neither) and the area
    whose boundary holds it, derived when the row is saved through a service."""

    latitude = _model_field("latitude", null=True, blank=True)
    longitude = _model_field("longitude", null=True, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=gettext_lazy("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def has_position(self) -> bool:
        return self.latitude is not None


# Forms ----------------------------------------------------------------------------------------


class CoordinateField(forms.Field):
    """A latitude or longitude in a form. Any number of decimals is taken (a phone sends 15) and
    rounded to the stored six; hidden by default, as the map or the phone fills it in."""

    widget = forms.HiddenInput

    def __init__(self, *, axis: str, **kwargs):
        self.axis = axis
        kwargs.setdefault("label", capfirst(NAMES[axis]))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        return parse_coordinate(value, self.axis)


class PositionFields(forms.Form):
    """Mixed into a form that takes a position: the two fields and the rule for the pair.
    `position_required` forms refuse an empty position."""

    position_required = False

    latitude = CoordinateField(axis="latitude", required=False)
    longitude = CoordinateField(axis="longitude", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].required = self.fields["longitude"].required = (
            self.position_required
        )

    def clean(self):
        cleaned_data = super().clean()
        if "latitude" in cleaned_data and "longitude" in cleaned_data:
            try:
                check_position(cleaned_data["latitude"], cleaned_data["longitude"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


# API ------------------------------------------------------------------------------------------


class CoordinateSerializerField(serializers.DecimalField):
    """A latitude or longitude in the API: read as a decimal string with six places (like every
    decimal in the API); written as a number or its text, by the same rule as the forms."""

    def __init__(self, *, axis: str, **kwargs):
        self.axis = axis
        super().__init__(max_digits=DIGITS[axis], decimal_places=DECIMAL_PLACES, **kwargs)

    # DRF types the value as present; an empty coordinate is None here, which allow_null permits.
    def to_internal_value(self, data: Any) -> Decimal | None:  # type: ignore[override]
        try:
            value = parse_coordinate(data, self.axis)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        if value is None and not self.allow_null:
            self.fail("null")
        return value


def position_serializer_fields(**options) -> tuple[CoordinateSerializerField, ...]:
    """`latitude, longitude = position_serializer_fields(...)` in a serializer's body."""
    return (
        CoordinateSerializerField(axis="latitude", **options),
        CoordinateSerializerField(axis="longitude", **options),
    )
