from __future__ import annotations

from datetime import timedelta
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import CategoryGroup
from patrols.models import Area
from trygghet.core.parameters import RefusesUnknownParameters
from trygghet.core.parsing import DayField
from trygghet.core.periods import Period, PeriodKind, last_night, period
from trygghet.dashboard.selectors import Filters
from trygghet.dashboard.sources import Source

DEFAULT_PERIOD = PeriodKind.SEVEN_NIGHTS
# A chosen range of nights: at most a year, and a month when nothing is chosen yet.
MAX_CUSTOM_NIGHTS = 366
CUSTOM_NIGHTS = 30


class DateInput(forms.DateInput):
    input_type = "date"


class LagesbildForm(RefusesUnknownParameters, forms.Form):
    """The period and filters of the lägesbild, read from the query string. Every field may be
    left out: the last seven nights, all areas and all groups."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(kind.value, kind.label) for kind in PeriodKind],
        required=False,
        widget=forms.RadioSelect,
    )
    on = DayField(required=False, widget=forms.HiddenInput)
    first = DayField(label=_("First night"), required=False, widget=DateInput)
    last = DayField(label=_("Last night"), required=False, widget=DateInput)
    area = forms.TypedChoiceField(
        label=_("Area"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Unknown area.")},
    )
    group = forms.ChoiceField(
        label=_("Category group"),
        choices=[("", _("All groups")), *CategoryGroup.choices],
        required=False,
        error_messages={"invalid_choice": _("Unknown category group.")},
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        error_messages={"invalid_choice": _("Unknown source.")},
    )

    def __init__(self, data, *, areas: list[Area], sources: list[Source]):
        super().__init__(data)
        self.areas = {area.pk: area for area in areas}
        self.sources = {str(source.key): source for source in sources}
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", _("All sources")),
            *((str(source.key), source.label) for source in sources),
        ]
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("All areas")),
            *((area.pk, area.name) for area in areas),
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("period") or DEFAULT_PERIOD
        data["period"] = PeriodKind(kind)
        if kind == PeriodKind.CUSTOM:
            latest = last_night()
            first = data.get("first") or latest - timedelta(days=CUSTOM_NIGHTS - 1)
            last = data.get("last") or latest
            if first > last:
                raise forms.ValidationError(_("The last night must not be before the first."))
            if (last - first).days + 1 > MAX_CUSTOM_NIGHTS:
                raise forms.ValidationError(
                    _("Choose at most {count} nights.").format(count=MAX_CUSTOM_NIGHTS)
                )
            data["first"], data["last"] = first, last
        return data

    def selection(self) -> tuple[Period, Filters]:
        data = self.cleaned_data
        chosen = period(data["period"], on=data.get("on"), first=data["first"], last=data["last"])
        area = self.areas[data["area"]] if data.get("area") else None
        source = self.sources[data["source"]] if data.get("source") else None
        return chosen, Filters(area=area, group=data.get("group") or "", source=source)
