"""The filters of the incident lists: one definition for the chief's page, its CSV download, the
map and the API, so that each shows exactly the same rows."""

from __future__ import annotations

from datetime import time, timedelta
from typing import cast

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import FilterSetMetaclass

from incidents.models import (
    CallOutcome,
    Category,
    CategoryGroup,
    CategoryKind,
    Channel,
    ContactOutcome,
    Escalation,
    FollowUpState,
    Service,
    Severity,
    Source,
)
from incidents.permissions import personal_data_for
from patrols.models import Area, PhoneLine
from patrols.permissions import areas_for_user
from trygghet.core.drf import PERIOD_ALIASES
from trygghet.core.parameters import PageFilterForm
from trygghet.core.parsing import DayFilter, MomentFilter
from trygghet.core.time import localize

ALL = _("All")
TIME_HELP = _("ISO 8601, e.g. 2026-07-03T21:00:00+02:00.")
UNKNOWN_AREA = {"invalid_choice": _("Unknown area.")}
UNKNOWN_CATEGORY = {"invalid_choice": _("Unknown category.")}


def readable_areas(request):
    """The areas a filter offers: those the user may read, so an area outside a partner's
    scope is unknown here as everywhere (none without a request, as when the schema is made)."""
    return areas_for_user(request.user) if request is not None else Area.objects.none()


class DateInput(forms.DateInput):
    input_type = "date"


def _period_filters(field: str):
    """The start (inclusive) and end (exclusive) of a period on the list's own time field."""
    return (
        MomentFilter(
            field_name=field, lookup_expr="gte", label=_("From (inclusive)"), help_text=TIME_HELP
        ),
        MomentFilter(
            field_name=field, lookup_expr="lt", label=_("Until (exclusive)"), help_text=TIME_HELP
        ),
    )


def period_filterset(field: str) -> type[filters.FilterSet]:
    """A FilterSet with `from` and `to` on `field`, the names every list and the stats of the
    API use for a period, and their deprecated aliases. ("from" is a Python keyword, so the
    filters cannot be declared as class attributes.)"""
    declared = dict(zip(("from", "to"), _period_filters(field), strict=True))
    declared |= dict(zip(PERIOD_ALIASES, _period_filters(field), strict=True))
    return cast(
        type[filters.FilterSet],
        FilterSetMetaclass(
            "PeriodFilterSet", (filters.FilterSet,), {"__module__": __name__, **declared}
        ),
    )


class StrictBooleanField(forms.NullBooleanField):
    """true or false (or nothing); anything else is an error, not quietly no filter. (The
    default widget reads any other value as nothing.)"""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise forms.ValidationError(_("Use true or false."), code="invalid")
        return value == "true"


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class IncidentFilter(period_filterset("occurred_at")):  # type: ignore[misc]  # a base made at import time
    area = filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=readable_areas,  # type: ignore[arg-type]  # django-filter calls it with the request
        empty_label=ALL,
        error_messages=UNKNOWN_AREA,
    )
    category = filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=ALL,
        error_messages=UNKNOWN_CATEGORY,
    )
    group = filters.ChoiceFilter(
        label=_("Group"),
        field_name="category__group",
        choices=CategoryGroup.choices,
        empty_label=ALL,
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"),
        field_name="category__kind",
        choices=CategoryKind.choices,
        empty_label=ALL,
    )
    severity = filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices, empty_label=ALL)
    source = filters.ChoiceFilter(label=_("Source"), choices=Source.choices, empty_label=ALL)
    state = filters.ChoiceFilter(
        label=_("Follow-up"), choices=FollowUpState.choices, empty_label=ALL
    )
    has_escalation = BooleanFilter(label=_("Has a call for help"), method="filter_has_escalation")

    def filter_has_escalation(self, queryset, name, value):
        called = Exists(Escalation.objects.filter(incident=OuterRef("pk")))
        return queryset.filter(called if value else ~called)


class IncidentPageFilter(IncidentFilter):
    """The chief's page: local dates instead of instants, and a text search."""

    date_from = DayFilter(label=_("From date"), method="filter_date_from", widget=DateInput)
    date_to = DayFilter(label=_("To date"), method="filter_date_to", widget=DateInput)
    q = filters.CharFilter(label=_("Search"), method="filter_text")
    has_escalation = BooleanFilter(
        label=_("Has a call for help"),
        method="filter_has_escalation",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        fields: list[str] = []
        form = PageFilterForm

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=localize(value, time(0)))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=localize(value + timedelta(days=1), time(0)))

    def filter_text(self, queryset, name, value):
        """Free text holds personal data: those who may not read it cannot search it either."""
        match = (
            Q(category__name_sv__icontains=value)
            | Q(category__name_en__icontains=value)
            | Q(area__name__icontains=value)
        )
        if personal_data_for(self.request.user):
            match |= Q(description__icontains=value) | Q(place_text__icontains=value)
        return queryset.filter(match)


class EscalationFilter(period_filterset("called_at")):  # type: ignore[misc]  # a base made at import time
    service = filters.ChoiceFilter(label=_("Service"), choices=Service.choices)
    area = filters.ModelChoiceFilter(
        label=_("Area"),
        field_name="incident__area",
        queryset=readable_areas,  # type: ignore[arg-type]  # django-filter calls it with the request
        error_messages=UNKNOWN_AREA,
    )
    category = filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="incident__category",
        queryset=Category.objects.all(),
        error_messages=UNKNOWN_CATEGORY,
    )


class CitizenContactFilter(period_filterset("received_at")):  # type: ignore[misc]  # a base made at import time
    channel = filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    outcome = filters.ChoiceFilter(label=_("Outcome"), choices=ContactOutcome.choices)
    category = filters.ModelChoiceFilter(
        label=_("About"), queryset=Category.objects.all(), error_messages=UNKNOWN_CATEGORY
    )


class NightButtonCallFilter(period_filterset("started_at")):  # type: ignore[misc]  # a base made at import time
    phone_line = filters.ModelChoiceFilter(label=_("Phone line"), queryset=PhoneLine.objects.all())
    outcome = filters.ChoiceFilter(label=_("Outcome"), choices=CallOutcome.choices)
    outside_hours = BooleanFilter(label=_("Outside opening hours"))
