from __future__ import annotations

import json
from datetime import date, timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from patrols.geo import validate_boundary
from patrols.models import Area, Assignment, Consultation, PhoneLine, Vehicle, Weekday
from patrols.selectors import hosts_to_plan, last_odometer
from trygghet.accounts.models import User
from trygghet.core.idempotency import ClientKeyField, HappenedAtField
from trygghet.core.parsing import DayField
from trygghet.core.time import DailyWindow

# Presence figures are read per week, month or tertial; a year is the longest useful period.
MAX_PRESENCE_NIGHTS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class AreaForm(forms.ModelForm):
    """The boundary arrives from the map as GeoJSON text in a hidden field."""

    boundary = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Draw the area on the map.")},
    )

    reason = forms.CharField(
        label=_("Why the boundary changes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept with the boundary's new version, e.g. the consultation with the police on "
            "12 November."
        ),
    )

    class Meta:
        model = Area
        fields = ["name", "kind", "notes", "boundary", "reason"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["boundary"] = json.dumps(self.instance.boundary)
        if not self.instance.pk:
            del self.fields["reason"]  # a first boundary has no change to explain

    def clean_boundary(self) -> dict:
        return validate_boundary(self.cleaned_data["boundary"])


class AssignmentForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days the window starts on: Friday 21:00–02:00 runs into Saturday night."),
        error_messages={"required": _("Choose at least one weekday.")},
    )

    class Meta:
        model = Assignment
        fields = [
            "area",
            "reason",
            "priority",
            "weekdays",
            "start_time",
            "end_time",
            "vehicle",
            "valid_from",
            "valid_to",
            "consulted_with",
            "consulted_on",
            "consultation_note",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "consultation_note": forms.Textarea(attrs={"rows": 3}),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "consulted_on": DateInput(),
            "priority": forms.RadioSelect,
            "consulted_with": forms.RadioSelect,
        }
        field_classes = {"valid_from": DayField, "valid_to": DayField, "consulted_on": DayField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.active()
        if self.instance.pk:
            areas = Area.objects.filter(active=True) | Area.objects.filter(pk=self.instance.area_id)
        self.fields["area"].queryset = areas
        cast(forms.ModelChoiceField, self.fields["vehicle"]).empty_label = _("Any car on duty")
        self.fields["vehicle"].queryset = Vehicle.objects.filter(active=True)
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("valid_from", today)
            self.initial.setdefault("consulted_on", today)


ConsultationFormSet = forms.inlineformset_factory(
    Assignment,
    Consultation,
    fields=["party", "consulted_on", "note"],
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    widgets={"consulted_on": DateInput(), "note": forms.TextInput()},
    field_classes={"consulted_on": DayField},
)


def consultations_of(formset) -> list[dict]:
    """The parties filled in on the chief's form, as the services take them."""
    return [
        {name: form.cleaned_data[name] for name in ("party", "consulted_on", "note")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ShiftForm(forms.Form):
    """A shift as the chief thinks of it: a day, a start and an end that may be after midnight."""

    day = DayField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(
        label=_("Until"), widget=TimeInput(), help_text=_("After midnight means the next day.")
    )
    hosts: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Hosts"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one host.")},
    )
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.filter(active=True), required=False
    )
    phone_line = forms.ModelChoiceField(
        label=_("Phone line"), queryset=PhoneLine.objects.filter(active=True), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hosts"].queryset = hosts_to_plan()

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            if data["start"] == data["end"]:
                raise forms.ValidationError(_("The shift must end at another time than it starts."))
            data["planned_start"], data["planned_end"] = DailyWindow(data["start"], data["end"]).on(
                data["day"]
            )
        return data

    @classmethod
    def initial_for(cls, shift) -> dict:
        start, end = timezone.localtime(shift.planned_start), timezone.localtime(shift.planned_end)
        return {
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "hosts": [row.host for row in shift.shift_hosts.all()],
            "vehicle": shift.vehicle,
            "phone_line": shift.phone_line,
        }


def week_label(monday: date) -> str:
    return _("week {number}, {first} – {last}").format(
        number=monday.isocalendar().week,
        first=date_format(monday, "j b"),
        last=date_format(monday + timedelta(days=6), "j b"),
    )


class WeekCopyForm(forms.Form):
    to_week = forms.TypedChoiceField(label=_("Copy to"), coerce=date.fromisoformat, choices=())

    def __init__(self, *args, week: date, **kwargs):
        super().__init__(*args, **kwargs)
        weeks = [week + timedelta(weeks=n) for n in range(1, 9)]
        cast(forms.ChoiceField, self.fields["to_week"]).choices = [
            (str(w), week_label(w)) for w in weeks
        ]


class ShiftStartForm(forms.Form):
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"),
        queryset=Vehicle.objects.filter(active=True),
        required=False,
        empty_label=_("No car"),
    )
    phone_line = forms.ModelChoiceField(
        label=_("Phone line"),
        queryset=PhoneLine.objects.filter(active=True),
        required=False,
        empty_label=_("No phone line"),
    )


class ShiftEndForm(forms.Form):
    """The summary, and for a shift in a car the odometer reading for the car's logbook,
    prefilled with the car's last reading so that most nights only the last digits change."""

    odometer = forms.IntegerField(
        label=_("Odometer (km)"),
        min_value=0,
        max_value=9_999_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("What the car's odometer shows now, for the logbook."),
        error_messages={"required": _("Write what the car's odometer shows.")},
    )
    summary = forms.CharField(
        label=_("Summary of the shift"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what the next shift or the chief should know."),
        error_messages={"required": _("Write a short summary of the shift.")},
    )

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        if shift.vehicle is None:
            del self.fields["odometer"]
        elif not self.is_bound:
            self.initial["odometer"] = last_odometer(shift.vehicle)


class MomentForm(forms.Form):
    """A tap whose moment matters: empty when sent at once, the tap's time when it waited on an
    offline phone."""

    happened_at = HappenedAtField()


class ArriveForm(MomentForm):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.active())
    client_key = ClientKeyField()


class DialogueForm(forms.Form):
    delta = forms.TypedChoiceField(choices=[(1, "+1"), (-1, "-1")], coerce=int, initial=1)
    client_key = ClientKeyField(required=True)


class PresenceForm(forms.Form):
    first = DayField(label=_("First night"), widget=DateInput())
    last = DayField(label=_("Last night"), widget=DateInput())
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("All areas"),
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The last night must not be before the first."))
            if (last - first).days >= MAX_PRESENCE_NIGHTS:
                raise forms.ValidationError(
                    _("Choose at most {count} nights.").format(count=MAX_PRESENCE_NIGHTS)
                )
        return data


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["name", "registration", "active"]


class PhoneLineForm(forms.ModelForm):
    class Meta:
        model = PhoneLine
        fields = ["number", "name", "night_button", "active"]
