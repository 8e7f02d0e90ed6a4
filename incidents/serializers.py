"""API shapes. Each record has a public serializer and a personal one that adds the fields only
roles with personal-data access receive (permissions.personal_data_for decides which)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.models import (
    CallOutcome,
    Category,
    CategoryKind,
    CitizenContact,
    Escalation,
    Incident,
    NightButtonCall,
    Referral,
    Severity,
    Source,
)
from patrols.models import Area, PhoneLine, Shift
from patrols.positions import position_serializer_fields
from trygghet.core.parsing import LONG_TEXT, SHORT_TEXT, MomentSerializerField
from trygghet.core.photos import clean_photo


def _unknown(message) -> dict:
    """A clear message for an id that does not exist (or is not the caller's to use)."""
    return {"does_not_exist": message, "incorrect_type": message}


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "group",
            "kind",
            "name",
            "name_sv",
            "name_en",
            "default_severity",
            "colour",
            "active",
            "quick_log",
        ]


class IncidentSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code", read_only=True)
    kind = serializers.ChoiceField(
        source="category.kind",
        choices=CategoryKind.choices,
        read_only=True,
        help_text="event: something that happened; activity: the hosts' own work.",
    )
    area_name = serializers.CharField(source="area.name", read_only=True, default=None)
    escalation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "occurred_at",
            "category",
            "category_code",
            "kind",
            "severity",
            "latitude",
            "longitude",
            "area",
            "area_name",
            "source",
            "state",
            "people_count",
            "shift",
            "escalation_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IncidentPersonalSerializer(IncidentSerializer):
    reported_by = serializers.CharField(source="reported_by.username", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields,
            "place_text",
            "description",
            "people_involved",
            "reported_by",
            "photos",
        ]
        read_only_fields = fields

    def get_photos(self, incident) -> list[str]:
        """URLs of the photos, served only to those who may see them (prefetched)."""
        request = self.context.get("request")
        urls = [photo.get_absolute_url() for photo in incident.photos.all()]
        return [request.build_absolute_uri(url) for url in urls] if request else urls


class IncidentCreateSerializer(serializers.Serializer):
    client_key = serializers.UUIDField(
        help_text=_("A new UUID per submission; resending it returns the first result.")
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), error_messages=_unknown(_("Unknown category."))
    )
    occurred_at = MomentSerializerField(required=False)
    shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.all(),
        required=False,
        help_text=_("Defaults to the host's active shift."),
        error_messages=_unknown(_("Unknown shift.")),
    )
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    latitude, longitude = position_serializer_fields(required=False, allow_null=True)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.active(),
        required=False,
        allow_null=True,
        help_text=_("Only used without a position; the position decides the area."),
        error_messages=_unknown(_("Unknown area.")),
    )
    place_text = serializers.CharField(max_length=SHORT_TEXT, required=False, allow_blank=True)
    description = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)
    people_count = serializers.IntegerField(
        min_value=0, max_value=1000, required=False, allow_null=True
    )
    people_involved = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)
    # DRF's metaclass takes declared fields out of the class; the stubs see Field.source here.
    source = serializers.ChoiceField(choices=Source.choices, required=False)  # type: ignore[assignment]
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5, write_only=True
    )

    def validate_photos(self, photos):
        return [clean_photo(photo) for photo in photos]


class EscalationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Escalation
        fields = [
            "id",
            "incident",
            "service",
            "service_number",
            "called_at",
            "arrived_at",
            "created_at",
        ]
        read_only_fields = fields


class EscalationPersonalSerializer(EscalationSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta(EscalationSerializer.Meta):
        # The service's reference (the police's case number) leads to the people in the case.
        fields = [*EscalationSerializer.Meta.fields, "reference", "note", "recorded_by"]
        read_only_fields = fields


class EscalationCreateSerializer(serializers.ModelSerializer):
    client_key = serializers.UUIDField(
        help_text=_("A new UUID per submission; resending it returns the first result.")
    )
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.none(), error_messages=_unknown(_("Unknown incident."))
    )

    class Meta:
        model = Escalation
        fields = [
            "client_key",
            "incident",
            "service",
            "service_number",
            "called_at",
            "arrived_at",
            "reference",
            "note",
        ]
        extra_kwargs = {"service": {"required": False}, "called_at": {"required": False}}

    def __init__(self, *args, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incidents is not None:
            self.fields["incident"].queryset = incidents


class CitizenContactSerializer(serializers.ModelSerializer):
    # Blank for a contact that was not referred, and for one referred before this was recorded.
    referred_to = serializers.ChoiceField(
        choices=Referral.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = CitizenContact
        fields = [
            "id",
            "received_at",
            "channel",
            "phone_line",
            "category",
            "area",
            "outcome",
            "referred_to",
            "incident",
            "shift",
            "created_at",
        ]
        read_only_fields = fields


class CitizenContactPersonalSerializer(CitizenContactSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)

    class Meta(CitizenContactSerializer.Meta):
        fields = [
            *CitizenContactSerializer.Meta.fields,
            "reason",
            "contact_details",
            "recorded_by",
            "latitude",
            "longitude",
            "place_text",
            "reference",
            "referred_to_other",
        ]
        read_only_fields = fields


class CitizenContactCreateSerializer(serializers.ModelSerializer):
    client_key = serializers.UUIDField(
        help_text=_("A new UUID per submission; resending it returns the first result.")
    )
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.none(),
        required=False,
        allow_null=True,
        error_messages=_unknown(_("Unknown incident.")),
    )

    class Meta:
        model = CitizenContact
        fields = [
            "client_key",
            "received_at",
            "channel",
            "phone_line",
            "category",
            "reason",
            "contact_details",
            "outcome",
            "referred_to",
            "referred_to_other",
            "incident",
        ]
        extra_kwargs = {"received_at": {"required": False}}

    def __init__(self, *args, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incidents is not None:
            self.fields["incident"].queryset = incidents


class NightButtonCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = NightButtonCall
        fields = [
            "id",
            "phone_line",
            "shift",
            "started_at",
            "ended_at",
            "outcome",
            "outside_hours",
        ]
        read_only_fields = fields


class NightButtonCallPersonalSerializer(NightButtonCallSerializer):
    host = serializers.CharField(source="host.username", read_only=True)

    class Meta(NightButtonCallSerializer.Meta):
        fields = [*NightButtonCallSerializer.Meta.fields, "host"]
        read_only_fields = fields


class NightButtonCallStartSerializer(serializers.Serializer):
    client_key = serializers.UUIDField(
        help_text=_("A new UUID per submission; resending it returns the first result.")
    )
    phone_line = serializers.PrimaryKeyRelatedField(
        queryset=PhoneLine.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text=_("Only when the shift has no phone line of its own."),
        error_messages=_unknown(_("Unknown phone line.")),
    )


class NightButtonCallEndSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
