"""The weekly report in the API: what a program sends (week and rows, names as the partner calls
them) and what it reads back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.models import Category
from patrols.positions import position_serializer_fields
from trygghet.core.parsing import SHORT_TEXT, DaySerializerField, check_day, parse_week
from trygghet.partners.models import MAX_COUNT, ReportRow, WeeklyReport
from trygghet.partners.services import MAX_ROWS


@extend_schema_field({"type": "string", "example": "2026-W47"})
class WeekField(serializers.Field):
    """A week as `2026-W47` (ISO 8601) or as the date of its Monday."""

    def to_internal_value(self, data) -> date:
        text = data.strip() if isinstance(data, str) else ""
        try:
            week = parse_week(text) if "W" in text else check_day(date.fromisoformat(text))
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        except ValueError:
            raise serializers.ValidationError(
                _("Give the week as {week} or the date of its Monday.").format(week="2026-W47")
            ) from None
        if week.isoweekday() != 1:
            raise serializers.ValidationError(_("A week starts on a Monday."))
        return week

    def to_representation(self, value: date) -> str:
        return value.isoformat()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 100}]})
class AreaReferenceField(serializers.Field):
    """An area by its id or its name; which one it is is read with the organisation's areas."""

    def to_internal_value(self, data) -> int | str:
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError(_("Give the area's id or its name."))
        if isinstance(data, str) and len(data) > 100:
            raise serializers.ValidationError(_("No area has so long a name."))
        return data


class RowInputSerializer(serializers.Serializer):
    night = DaySerializerField(help_text="The operational night (noon to noon), a day of the week.")
    area = AreaReferenceField(
        required=False, allow_null=True, help_text="The area's id or name (or give a position)."
    )
    latitude, longitude = position_serializer_fields(required=False, allow_null=True)
    category = serializers.CharField(
        max_length=80,
        help_text="Our category's code or name, or your organisation's mapped name for it.",
    )
    count = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)
    note = serializers.CharField(
        max_length=SHORT_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="About the place, never about people: no names or personal identity numbers.",
    )


class ReportInputSerializer(serializers.Serializer):
    week = WeekField(help_text="`2026-W47`, or the date of the week's Monday.")
    organisation = serializers.IntegerField(
        required=False, help_text="The security chief's reports only: whose report it is."
    )
    rows = serializers.ListField(
        child=RowInputSerializer(),
        max_length=MAX_ROWS,
        help_text="The whole week; replaces the rows before.",
    )


class ReportRowSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True)
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    latitude, longitude = position_serializer_fields(read_only=True, allow_null=True)

    class Meta:
        model = ReportRow
        fields = [
            "night",
            "area",
            "area_name",
            "latitude",
            "longitude",
            "category",
            "count",
            "note",
        ]


class WeeklyReportSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    iso_week = serializers.SerializerMethodField()
    closed = serializers.BooleanField(read_only=True, help_text="The chief has closed the week.")
    rows = ReportRowSerializer(many=True, read_only=True)

    class Meta:
        model = WeeklyReport
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "week",
            "iso_week",
            "closed",
            "source",
            "submitted_at",
            "updated_at",
            "rows",
        ]

    def get_iso_week(self, report: WeeklyReport) -> str:
        return f"{report.week:%G-W%V}"
