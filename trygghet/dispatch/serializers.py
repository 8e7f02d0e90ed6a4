"""API shapes. Partners and report programs get the figures of a request (`RequestFiguresSerializer`):
when, how urgent, which area, the state and the time of each step. Roles with personal-data
access get the details and the history as well (`RequestSerializer`)."""

from __future__ import annotations

from rest_framework import serializers

from trygghet.dispatch.models import DispatchRequest, DispatchStep, Outcome


def _seconds(later, earlier) -> int | None:
    return None if later is None or earlier is None else round((later - earlier).total_seconds())


class RequestFiguresSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(
        source="area.name", read_only=True, default=None, allow_null=True
    )
    # Read-only model fields lose their blank choice in the schema; it is "" until cleared.
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    night = serializers.DateField(read_only=True, help_text="The operational night (noon to noon).")
    dispatched_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    on_scene_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    seconds_to_dispatch = serializers.SerializerMethodField()
    seconds_to_acknowledge = serializers.SerializerMethodField()
    seconds_to_on_scene = serializers.SerializerMethodField()

    class Meta:
        model = DispatchRequest
        fields = [
            "id",
            "requested_at",
            "night",
            "priority",
            "source",
            "area",
            "area_name",
            "state",
            "outcome",
            "dispatched_at",
            "acknowledged_at",
            "on_scene_at",
            "closed_at",
            "seconds_to_dispatch",
            "seconds_to_acknowledge",
            "seconds_to_on_scene",
        ]
        read_only_fields = fields

    def get_seconds_to_dispatch(self, request) -> int | None:
        """From the request to the first car sent (annotated, no query)."""
        return _seconds(request.dispatched_at, request.requested_at)

    def get_seconds_to_acknowledge(self, request) -> int | None:
        return _seconds(request.acknowledged_at, request.requested_at)

    def get_seconds_to_on_scene(self, request) -> int | None:
        return _seconds(request.on_scene_at, request.requested_at)


class StepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)

    class Meta:
        model = DispatchStep
        fields = ["number", "from_state", "state", "at", "by", "shift", "outcome", "note"]
        read_only_fields = fields


class RequestSerializer(RequestFiguresSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    category_code = serializers.CharField(
        source="category.code", read_only=True, default=None, allow_null=True
    )
    car = serializers.CharField(
        source="shift.vehicle.name", read_only=True, default=None, allow_null=True
    )
    steps = StepSerializer(many=True, read_only=True)

    class Meta(RequestFiguresSerializer.Meta):
        fields = [
            *RequestFiguresSerializer.Meta.fields,
            "what",
            "category",
            "category_code",
            "latitude",
            "longitude",
            "place_text",
            "note",
            "citizen_contact",
            "property",
            "incident",
            "shift",
            "car",
            "requested_by",
            "steps",
        ]
        read_only_fields = fields


class ResponseTimesSerializer(serializers.Serializer):
    night = serializers.DateField(
        allow_null=True, help_text="The operational night; null: the whole period."
    )
    priority = serializers.IntegerField(
        allow_null=True, help_text="1 high, 2 normal, 3 low; null: all."
    )
    requests = serializers.IntegerField()
    dispatched = serializers.IntegerField(help_text="How many got a car.")
    on_scene = serializers.IntegerField(help_text="How many a car reached.")
    median_seconds_to_dispatch = serializers.SerializerMethodField()
    median_seconds_to_acknowledge = serializers.SerializerMethodField()
    median_seconds_to_on_scene = serializers.SerializerMethodField()

    def get_median_seconds_to_dispatch(self, row) -> float | None:
        return _median(row.to_dispatch)

    def get_median_seconds_to_acknowledge(self, row) -> float | None:
        return _median(row.to_acknowledge)

    def get_median_seconds_to_on_scene(self, row) -> float | None:
        return _median(row.to_on_scene)


def _median(value) -> float | None:
    return None if value is None else value.total_seconds()
