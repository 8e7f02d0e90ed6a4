"""The partner's weekly report on a page: choosing the week, the rows, the upload and its layout."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, CategoryGroup
from patrols.models import Area
from patrols.positions import PositionFields
from trygghet.accounts.models import Organisation
from trygghet.core.parsing import SHORT_TEXT, parse_week
from trygghet.core.periods import week_of
from trygghet.partners.models import MAX_COUNT, UploadLayout
from trygghet.partners.services import RowInput, week_label

# Weeks a partner may pick: this one and the ones before it, as far back as a late report goes.
WEEKS_BACK = 12
# Blank rows under the report's rows; the page adds more with JavaScript, or on saving.
BLANK_ROWS = 5
# A week's export from the organisation's own system, never a register of years.
MAX_UPLOAD_BYTES = 1024 * 1024


def iso_week(week: date) -> str:
    return f"{week:%G-W%V}"


def recent_weeks() -> list[date]:
    this_week = week_of(timezone.localdate()).first
    return [this_week - timedelta(weeks=back) for back in range(WEEKS_BACK + 1)]


class WeekChoiceForm(forms.Form):
    """Which week (and, for the chief, whose) to report."""

    week = forms.TypedChoiceField(label=_("Week"), coerce=parse_week)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, reports_for_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["week"]).choices = [
            (iso_week(w), week_label(w)) for w in recent_weeks()
        ]
        field = self.fields["organisation"]
        cast(forms.ModelChoiceField, field).queryset = organisations
        if not reports_for_all:
            # A partner reports for their own organisation only: nothing to choose.
            own = organisations.first()
            field.initial = own.pk if own else None
            field.widget = forms.HiddenInput()


def grouped_categories(
    categories: list[Category], their_names: dict[int, list[str]]
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The categories by EST group, each labelled with the organisation's own names for it."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for category in categories:
        label = category.name
        if names := their_names.get(category.pk):
            label = _("{name} (your name: {theirs})").format(name=label, theirs=", ".join(names))
        groups.setdefault(category.group, []).append((category.pk, label))
    return [(str(CategoryGroup(group).label), choices) for group, choices in groups.items()]


class ReportRowForm(PositionFields):
    """One row: a night of the week, an area or a place on the map, a category, a count."""

    night = forms.ChoiceField(label=_("Night"))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=MAX_COUNT)
    note = forms.CharField(
        label=_("Note"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("About the place, never about people: no names or personal identity numbers."),
    )

    def __init__(self, *args, week: date, areas, categories, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        # An empty first choice, so a blank row sent as the browser sends it stays unchanged.
        cast(forms.ChoiceField, self.fields["night"]).choices = [
            ("", _("Choose")),
            *((night.isoformat(), date_format(night, "D j b")) for night in week_of(week).dates()),
        ]
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Choose")),
            *category_choices,
        ]
        self.fields["count"].widget.attrs.update(inputmode="numeric", size=5)
        self.fields["note"].widget.attrs.update(maxlength=SHORT_TEXT)

    def clean_category(self) -> Category:
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise ValidationError(_("Choose one of the categories."), code="invalid_choice")
        return category

    def row(self) -> RowInput:
        data = self.cleaned_data
        return RowInput(
            night=date.fromisoformat(data["night"]),
            category=data["category"],
            count=data["count"],
            note=data["note"],
            area=data["area"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )


class BaseReportRowFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[forms.Form, RowInput]]:
        """Each filled-in row that is not marked for removal, with its form."""
        return [
            (form, form.row())
            for form in self.forms
            if form.has_changed() and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]


ReportRowFormSet = forms.formset_factory(
    ReportRowForm,
    formset=BaseReportRowFormSet,
    extra=BLANK_ROWS,
    can_delete=True,
    max_num=2000,
    absolute_max=2000,
    validate_max=True,
)


class CategoryMappingForm(forms.Form):
    """One of the organisation's own names for a kind of event, and our category it counts in."""

    their_name = forms.CharField(label=_("Your name"), max_length=80)
    category = forms.TypedChoiceField(label=_("Our category"), coerce=int)

    def __init__(self, *args, categories, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Choose")),
            *category_choices,
        ]

    clean_category = ReportRowForm.clean_category


class BaseCategoryMappingFormSet(forms.BaseFormSet):
    def mappings(self) -> list[tuple[str, Category]]:
        return [
            (form.cleaned_data["their_name"], form.cleaned_data["category"])
            for form in self.forms
            if form.has_changed() and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]


CategoryMappingFormSet = forms.formset_factory(
    CategoryMappingForm,
    formset=BaseCategoryMappingFormSet,
    extra=3,
    can_delete=True,
    max_num=500,
    absolute_max=500,
    validate_max=True,
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (saved from Excel as “CSV UTF-8” or “CSV semicolon separated”) or .xlsx."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.ms-excel"}
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)d MB)."),
                params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload.read()


class UploadConfirmForm(forms.Form):
    """The checked file, sent back with the confirmation (base64, as a workbook is not text);
    it is read and checked again before anything is written."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=2 * MAX_UPLOAD_BYTES)


class UploadLayoutForm(forms.ModelForm):
    class Meta:
        model = UploadLayout
        fields = [
            "night_column",
            "date_format",
            "area_column",
            "category_column",
            "count_column",
            "note_column",
        ]
