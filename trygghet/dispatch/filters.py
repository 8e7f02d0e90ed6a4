"""The filters of the request list: one definition for the API, its figures and the chief's
history page, so each shows exactly the same requests."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.filters import ALL, period_filterset, readable_areas
from patrols.models import Priority
from trygghet.core.parameters import PageFilterForm
from trygghet.core.parsing import DayFilter
from trygghet.core.time import night_bounds
from trygghet.dispatch.models import Source, State


class RequestFilter(period_filterset("requested_at")):  # type: ignore[misc]  # a base made at import time
    """The same period parameters as every other list under the API, on the time requested."""

    area = filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=readable_areas,  # type: ignore[arg-type]  # django-filter calls it with the request
        empty_label=ALL,
    )
    priority = filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices, empty_label=ALL)
    source = filters.ChoiceFilter(label=_("Came from"), choices=Source.choices, empty_label=ALL)
    state = filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=ALL)


class NightInput(forms.DateInput):
    input_type = "date"


class RequestPageFilter(RequestFilter):
    """The history page: operational nights (noon to noon) instead of instants."""

    first_night = DayFilter(label=_("From night"), method="filter_first_night", widget=NightInput)
    last_night = DayFilter(label=_("To night"), method="filter_last_night", widget=NightInput)

    class Meta:
        fields: list[str] = []
        form = PageFilterForm

    def filter_first_night(self, queryset, name, value):
        return queryset.filter(requested_at__gte=night_bounds(value)[0])

    def filter_last_night(self, queryset, name, value):
        return queryset.filter(requested_at__lt=night_bounds(value)[1])
