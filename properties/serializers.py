"""API shapes. Access notes are in none of them: keys and codes never leave the server through
the API, whoever asks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from properties.models import (
    ActionTaken,
    ChecklistItem,
    Deviation,
    DeviationPhoto,
    DeviationState,
    DeviationStep,
    Property,
    PropertyCheck,
)
from trygghet.accounts.models import Department
from trygghet.core.parsing import LONG_TEXT, DaySerializerField


class ClosingTimesSerializer(serializers.Serializer):
    """Closing time per weekday (local time, HH:MM); null when closed all day. A time before
    noon is after midnight, in the night that started the day before."""

    monday = serializers.TimeField(source="closes_monday", allow_null=True, format="%H:%M")
    tuesday = serializers.TimeField(source="closes_tuesday", allow_null=True, format="%H:%M")
    wednesday = serializers.TimeField(source="closes_wednesday", allow_null=True, format="%H:%M")
    thursday = serializers.TimeField(source="closes_thursday", allow_null=True, format="%H:%M")
    friday = serializers.TimeField(source="closes_friday", allow_null=True, format="%H:%M")
    saturday = serializers.TimeField(source="closes_saturday", allow_null=True, format="%H:%M")
    sunday = serializers.TimeField(source="closes_sunday", allow_null=True, format="%H:%M")


@extend_schema_field({"type": "number", "format": "double", "deprecated": True})
class OldCoordinateField(serializers.FloatField):
    """The building's coordinate under its old name (`lat`, `lon`) and as a number, as it was
    before positions had one type; kept for one API version while clients move to
    `latitude`/`longitude`."""


class PropertySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    lat = OldCoordinateField(
        source="latitude",
        read_only=True,
        help_text=_("Deprecated: use latitude. Removed in the next API version."),
    )
    lon = OldCoordinateField(
        source="longitude",
        read_only=True,
        help_text=_("Deprecated: use longitude. Removed in the next API version."),
    )
    closing_times = ClosingTimesSerializer(source="*", read_only=True)
    checklist = serializers.ListField(child=serializers.ChoiceField(ChecklistItem.choices))

    class Meta:
        model = Property
        fields = [
            "id",
            "name",
            "address",
            "latitude",
            "longitude",
            "lat",
            "lon",
            "department",
            "department_name",
            "priority",
            "closing_times",
            "closed_dates",
            "checklist",
            "active",
            "updated_at",
        ]


class PropertyContactSerializer(PropertySerializer):
    class Meta(PropertySerializer.Meta):
        fields = [*PropertySerializer.Meta.fields, "contact_email"]


class PropertyCheckPublicSerializer(serializers.ModelSerializer):
    """A check without who made it (see permissions.personal_data_for)."""

    property_name = serializers.CharField(source="property.name", read_only=True)
    results = serializers.DictField(child=serializers.BooleanField())
    # Annotated by the viewset's queryset (no query per row).
    deviation = serializers.IntegerField(source="deviation_id", read_only=True, allow_null=True)

    class Meta:
        model = PropertyCheck
        fields = [
            "id",
            "property",
            "property_name",
            "shift",
            "checked_at",
            "results",
            "ok",
            "deviation",
        ]


class PropertyCheckSerializer(PropertyCheckPublicSerializer):
    checked_by = serializers.CharField(source="checked_by.__str__", read_only=True)

    class Meta(PropertyCheckPublicSerializer.Meta):
        fields = [*PropertyCheckPublicSerializer.Meta.fields, "checked_by"]


class PropertyCheckCreateSerializer(serializers.Serializer):
    """A check from a phone. Either `all_ok: true`, or `results` with every item on the
    building's checklist; any false item needs `actions` (what the host did)."""

    property = serializers.PrimaryKeyRelatedField(queryset=Property.objects.none())
    all_ok = serializers.BooleanField(default=False)
    results = serializers.DictField(child=serializers.BooleanField(), required=False)
    description = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default=""
    )
    actions = serializers.ListField(
        child=serializers.ChoiceField(ActionTaken.choices), required=False, default=list
    )
    action_note = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default=""
    )
    client_key = serializers.UUIDField(
        help_text=_("A new UUID per check; sending the same one again returns the first check."),
    )

    def __init__(self, *args, properties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if properties is not None:
            self.fields["property"].queryset = properties

    def validate(self, data):
        if data["all_ok"]:
            if data.get("results") and not all(data["results"].values()):
                raise serializers.ValidationError(
                    {"all_ok": _("all_ok cannot be true when results has items not in order.")}
                )
            data["results"] = {item: True for item in data["property"].checklist}
        elif "results" not in data:
            raise serializers.ValidationError({"results": _("Send results, or all_ok: true.")})
        return data


class DeviationStepPublicSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeviationStep
        fields = ["from_state", "state", "at"]


class DeviationStepSerializer(DeviationStepPublicSerializer):
    by = serializers.CharField(source="by.__str__", read_only=True)

    class Meta(DeviationStepPublicSerializer.Meta):
        fields = [*DeviationStepPublicSerializer.Meta.fields, "by", "note"]


class DeviationPhotoSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = DeviationPhoto
        fields = ["id", "url", "created_at"]


class DeviationPublicSerializer(serializers.ModelSerializer):
    """A deviation without its free text, photos and who followed it up (see
    permissions.personal_data_for)."""

    property_name = serializers.CharField(source="property.name", read_only=True)
    department = serializers.IntegerField(source="property.department_id", read_only=True)
    department_name = serializers.CharField(source="property.department.name", read_only=True)
    check = serializers.IntegerField(source="property_check_id", read_only=True)
    items = serializers.ListField(child=serializers.ChoiceField(ChecklistItem.choices))
    actions = serializers.ListField(child=serializers.ChoiceField(ActionTaken.choices))
    overdue = serializers.SerializerMethodField()
    steps = DeviationStepPublicSerializer(many=True, read_only=True)

    class Meta:
        model = Deviation
        fields = [
            "id",
            "property",
            "property_name",
            "department",
            "department_name",
            "check",
            "found_at",
            "items",
            "actions",
            "state",
            "overdue",
            "resolved_at",
            "notified_at",
            "steps",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, deviation: Deviation) -> bool:
        return deviation.is_overdue()


class DeviationSerializer(DeviationPublicSerializer):
    steps = DeviationStepSerializer(many=True, read_only=True)
    photos = DeviationPhotoSerializer(many=True, read_only=True)

    class Meta(DeviationPublicSerializer.Meta):
        fields = [*DeviationPublicSerializer.Meta.fields, "description", "action_note", "photos"]


class DeviationStateSerializer(serializers.Serializer):
    """The next step of the follow-up: open → acknowledged → resolved (a note is required)."""

    state = serializers.ChoiceField(DeviationState.choices)
    note = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")


class QueryBooleanField(serializers.BooleanField):
    """true or false in a query string; "null" is not a value there (empty means not given)."""

    NULL_VALUES = {"", None}


class ListFilterSerializer(serializers.Serializer):
    """Query filters of the check and deviation lists. `from` and `to` are operational nights
    (noon to noon, local time), both included."""

    to = DaySerializerField(required=False)
    department = serializers.IntegerField(required=False)
    state = serializers.ChoiceField(DeviationState.choices, required=False)
    overdue = QueryBooleanField(required=False, allow_null=True, default=None)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields["from"] = DaySerializerField(required=False)
        return fields

    def validate_department(self, value: int) -> int:
        if not Department.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Unknown department."))
        return value

    def validate(self, data):
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise serializers.ValidationError({"from": _("from must not be after to.")})
        return data
