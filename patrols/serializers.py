"""API shapes. Partners and report programs get the `Public` variants: no host names, no
free text that may name people (an area's notes, an assignment's reason, summaries, notes,
consultation notes), no author."""

from __future__ import annotations

from rest_framework import serializers

from patrols.geo import validate_boundary
from patrols.models import (
    Area,
    Assignment,
    Consultation,
    PhoneLine,
    Shift,
    ShiftHost,
    Vehicle,
    Visit,
    Weekday,
)
from patrols.selectors import hosts_to_plan
from trygghet.accounts.models import User
from trygghet.core.parsing import DaySerializerField, MomentSerializerField


class AreaSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Why the boundary changes; kept with its new version.",
    )

    class Meta:
        model = Area
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "boundary",
            "notes",
            "active",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_boundary(self, value):
        # The serializer turns the rule's Django ValidationError into the field's error itself.
        return validate_boundary(value)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Read `?on=` a date: the boundary the area had then (selectors.areas_as_on).
        then = getattr(instance, "boundary_then", None)
        if then is not None:
            data["boundary"] = then
        return data


class AreaPublicSerializer(AreaSerializer):
    class Meta(AreaSerializer.Meta):
        fields = [f for f in AreaSerializer.Meta.fields if f != "notes"]


class ConsultationSerializer(serializers.ModelSerializer):
    consulted_on = DaySerializerField()

    class Meta:
        model = Consultation
        fields = ["party", "consulted_on", "note"]


class AssignmentSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    consultations = ConsultationSerializer(
        many=True,
        required=False,
        help_text="Parties consulted besides `consulted_with`; a write replaces them all.",
    )
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=Weekday.choices),
        allow_empty=False,
        help_text="The days the window starts on, 0 = Monday … 6 = Sunday.",
    )
    created_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(
        read_only=True
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "area",
            "area_name",
            "reason",
            "priority",
            "valid_from",
            "valid_to",
            "weekdays",
            "start_time",
            "end_time",
            "consulted_with",
            "consulted_on",
            "consultation_note",
            "consultations",
            "vehicle",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class AssignmentPublicSerializer(AssignmentSerializer):
    class Meta(AssignmentSerializer.Meta):
        fields = [
            f
            for f in AssignmentSerializer.Meta.fields
            # Who was consulted may name a person: the parties and their notes stay inside.
            if f not in ("reason", "consultation_note", "consultations", "created_by")
        ]


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "registration", "name"]


class PhoneLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhoneLine
        fields = ["id", "number", "name", "night_button"]


class ShiftHostSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="host_id")
    name: serializers.StringRelatedField[User] = serializers.StringRelatedField(source="host")

    class Meta:
        model = ShiftHost
        fields = ["id", "name"]


class ShiftPublicSerializer(serializers.ModelSerializer):
    """A shift as partners see it: when, which car and phone, how many hosts; not who."""

    vehicle = VehicleSerializer(read_only=True)
    phone_line = PhoneLineSerializer(read_only=True)
    host_count = serializers.SerializerMethodField()
    kilometres = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Driven, from the car's logbook."
    )

    class Meta:
        model = Shift
        fields = [
            "id",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "state",
            "vehicle",
            "phone_line",
            "host_count",
            "odometer_start",
            "odometer_end",
            "kilometres",
        ]

    def get_host_count(self, shift) -> int:
        return len(shift.shift_hosts.all())  # prefetched by selectors.with_hosts


class ShiftSerializer(ShiftPublicSerializer):
    hosts = ShiftHostSerializer(source="shift_hosts", many=True, read_only=True)

    class Meta(ShiftPublicSerializer.Meta):
        fields = [*ShiftPublicSerializer.Meta.fields, "hosts", "summary", "created_at"]


class ShiftPlanSerializer(serializers.Serializer):
    planned_start = MomentSerializerField()
    planned_end = MomentSerializerField()
    hosts = serializers.PrimaryKeyRelatedField(many=True, queryset=hosts_to_plan())
    vehicle = serializers.PrimaryKeyRelatedField(
        queryset=Vehicle.objects.filter(active=True), allow_null=True, required=False
    )
    phone_line = serializers.PrimaryKeyRelatedField(
        queryset=PhoneLine.objects.filter(active=True), allow_null=True, required=False
    )


class WeekCopySerializer(serializers.Serializer):
    week = DaySerializerField(help_text="The Monday of the week to copy.")
    to_week = DaySerializerField(help_text="The Monday of the week to copy to.")


class VisitPublicSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "shift", "area", "area_name", "arrived_at", "left_at", "dialogues"]


class VisitSerializer(VisitPublicSerializer):
    recorded_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()

    class Meta(VisitPublicSerializer.Meta):
        fields = [*VisitPublicSerializer.Meta.fields, "note", "recorded_by"]


class VisitArriveSerializer(serializers.Serializer):
    shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.none())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.active())
    client_key = serializers.UUIDField(
        help_text="A new UUID per arrival; sending it again returns the same visit.",
    )
    arrived_at = MomentSerializerField(
        required=False, help_text="When the phone recorded it; now when left out."
    )

    def __init__(self, *args, shifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if shifts is not None:
            self.fields["shift"].queryset = shifts


class VisitLeaveSerializer(serializers.Serializer):
    left_at = MomentSerializerField(required=False)


class DialogueSerializer(serializers.Serializer):
    client_key = serializers.UUIDField(help_text="A new UUID per tap; a resent tap counts once.")
    delta = serializers.ChoiceField(choices=[1, -1], default=1)


class PresenceRowSerializer(serializers.Serializer):
    area = serializers.IntegerField(source="area_id")
    area_name = serializers.CharField()
    night = serializers.DateField(help_text="The operational night, from noon to noon.")
    planned_minutes = serializers.IntegerField()
    present_minutes = serializers.IntegerField()
    covered_minutes = serializers.IntegerField(
        help_text="Minutes present while an assignment's window was open."
    )
    visits = serializers.IntegerField()
    dialogues = serializers.IntegerField()
    missed = serializers.BooleanField(help_text="Assigned but not visited.")


class NightKilometresSerializer(serializers.Serializer):
    night = serializers.DateField()
    shifts = serializers.IntegerField(help_text="Shifts with a logbook reading.")
    kilometres = serializers.IntegerField()


class PresenceSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    planned_minutes = serializers.IntegerField()
    covered_minutes = serializers.IntegerField()
    coverage_percent = serializers.IntegerField(allow_null=True)
    nights_missed = serializers.IntegerField()
    kilometres = serializers.IntegerField(help_text="Driven in the period, by the logbook.")
    kilometres_by_night = NightKilometresSerializer(many=True)
    results = PresenceRowSerializer(many=True)
