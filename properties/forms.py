from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from patrols.models import Weekday
from patrols.positions import PositionFields
from properties.models import (
    CLOSING_FIELDS,
    ActionTaken,
    ChecklistItem,
    Property,
)
from trygghet.core.follow_up import FollowUpFilterForm
from trygghet.core.idempotency import ClientKeyField, HappenedAtField
from trygghet.core.parameters import RefusesUnknownParameters
from trygghet.core.parsing import LONG_TEXT, DayField
from trygghet.core.photos import clean_photo

MAX_PHOTOS = 5
# The confirmation sends the file back as a form field, which must stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE; a register of thousands of buildings is far smaller.
MAX_IMPORT_BYTES = 1024 * 1024
MAX_FIGURE_NIGHTS = 366


class PropertyForm(PositionFields, forms.ModelForm):
    position_required = True

    checklist = forms.MultipleChoiceField(
        label=_("What to check"),
        choices=ChecklistItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    closed_dates = SimpleArrayField(
        DayField(),
        label=_("Closed days"),
        required=False,
        help_text=_("Dates like 2026-12-24, separated by commas."),
    )

    class Meta:
        model = Property
        fields = [
            "name",
            "address",
            "department",
            "priority",
            "latitude",
            "longitude",
            *CLOSING_FIELDS,
            "closed_dates",
            "checklist",
            "contact_email",
            "access_notes",
            "active",
        ]
        widgets = {
            **{name: forms.TimeInput(attrs={"type": "time"}) for name in CLOSING_FIELDS},
            "access_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the form the seven times stand together under "Closing times"; the day is enough.
        for name, day in zip(CLOSING_FIELDS, Weekday.labels, strict=True):
            self.fields[name].label = day
        # Typed in from the register, or picked on the map next to them.
        for name in ("latitude", "longitude"):
            self.fields[name].widget = forms.NumberInput(attrs={"step": "any"})

    def closing_fields(self):
        return [self[name] for name in CLOSING_FIELDS]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Property.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("There is already a building called “{name}”.").format(name=name)
            )
        return name


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several optional photos, each cleaned by the shared photo rules (images only, size limit,
    metadata stripped)."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos."), code="too_many", params={"count": MAX_PHOTOS}
            )
        return [clean_photo(super(PhotosField, self).clean(upload, initial)) for upload in uploads]


OK, NOT_OK = "ok", "fail"


class CheckForm(forms.Form):
    """A check of one building. The big button sends `all_ok`; otherwise every checklist item
    is answered (in order by default, so a host taps only what is wrong)."""

    client_key = ClientKeyField()
    happened_at = HappenedAtField()
    description = forms.CharField(
        max_length=LONG_TEXT,
        label=_("What did you find?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actions = forms.MultipleChoiceField(
        label=_("What did you do?"),
        choices=ActionTaken.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    action_note = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Who did you call, what did they say?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args, property: Property, all_ok: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_ok = all_ok
        self.items = property.checklist_items
        for item in self.items:
            self.fields[f"item_{item}"] = forms.ChoiceField(
                label=item.label,
                choices=[(OK, _("In order")), (NOT_OK, _("Not in order"))],
                initial=OK,
                widget=forms.RadioSelect,
                required=not all_ok,
            )
        self.fields["photos"].widget.attrs["capture"] = "environment"

    def item_fields(self):
        return [self[f"item_{item}"] for item in self.items]

    def clean(self):
        cleaned = super().clean()
        if self.all_ok:
            # The big button wins only when nothing was marked: a host who marked a fault and
            # then pressed it by mistake must not lose the deviation.
            marked = [item.label for item in self.items if self.data.get(f"item_{item}") == NOT_OK]
            if marked:
                raise ValidationError(
                    _("You marked {items} as not in order: save the check instead.").format(
                        items=", ".join(str(label).lower() for label in marked)
                    )
                )
            cleaned["results"] = {item.value: True for item in self.items}
        else:
            cleaned["results"] = {
                item.value: cleaned.get(f"item_{item}") != NOT_OK for item in self.items
            }
        if not all(cleaned["results"].values()) and not cleaned.get("actions"):
            self.add_error("actions", _("Say what you did about it (or that you only report it)."))
        return cleaned


class DeviationFilterForm(FollowUpFilterForm):
    department_path = "property__department"


class PeriodForm(RefusesUnknownParameters, forms.Form):
    """A period of operational nights, from the first to the last (both included)."""

    first = DayField(label=_("From night"), widget=forms.DateInput(attrs={"type": "date"}))
    last = DayField(label=_("To night"), widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def default_for(cls, last: date) -> dict:
        return {"first": last - timedelta(days=29), "last": last}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if first > last:
                raise ValidationError(_("The period must start before it ends."))
            if (last - first).days >= MAX_FIGURE_NIGHTS:
                raise ValidationError(
                    _("Choose at most %(count)d nights."), params={"count": MAX_FIGURE_NIGHTS}
                )
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Saved from Excel as “CSV UTF-8” or “CSV (semicolon separated)”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)d MB)."),
                params={"mb": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        return upload.read()


class ImportConfirmForm(forms.Form):
    """The checked file, sent back with the confirmation; it is checked again before writing."""

    # A hidden textarea, not an <input>: it keeps the file's line breaks as they are.
    content = forms.CharField(
        widget=forms.Textarea(attrs={"hidden": True}), max_length=2 * MAX_IMPORT_BYTES
    )
