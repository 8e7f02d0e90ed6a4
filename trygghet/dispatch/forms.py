from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, CitizenContact, Severity
from patrols.models import Priority, Shift
from patrols.positions import PositionFields
from properties.models import Property
from trygghet.core.idempotency import ClientKeyField, HappenedAtField
from trygghet.core.parsing import LONG_TEXT
from trygghet.dispatch.models import TAP_OUTCOMES, Source, State
from trygghet.dispatch.services import car_label


class ActiveShiftChoiceField(forms.ModelChoiceField):
    """The cars on duty, named as the board names them."""

    def label_from_instance(self, shift):
        return car_label(shift)


def active_shifts():
    return Shift.objects.active().select_related("vehicle").order_by("actual_start", "id")


class RequestForm(PositionFields):
    """A new call-out. The place is a point on the map and/or a text; a property alarm takes
    the building's position when no point is picked."""

    what = forms.CharField(
        label=_("What"),
        max_length=200,
        help_text=_("Short, as the car's crew should read it: “Rowdy group at the bus stop”."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("Came from"), choices=Source.choices, initial=Source.CHIEF)
    category = forms.ModelChoiceField(
        label=_("About"),
        queryset=Category.objects.active(),
        required=False,
        empty_label="–",
        help_text=_("The category an incident gets if it becomes one."),
    )
    property = forms.ModelChoiceField(
        label=_("Property"),
        queryset=Property.objects.active().order_by("name"),
        required=False,
        empty_label="–",
    )
    place_text = forms.CharField(label=_("Place"), max_length=200, required=False)
    note = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Note for the crew"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who called, what to look for. Personal data: keep it short."),
    )
    shift = ActiveShiftChoiceField(
        label=_("Send now to"),
        queryset=active_shifts(),
        required=False,
        empty_label=_("Not yet (wait on the board)"),
    )
    client_key = ClientKeyField()

    def __init__(self, *args, contact: CitizenContact | None = None, **kwargs):
        """`contact`: the citizen contact the car is sent for; it fills the form and fixes
        the source."""
        super().__init__(*args, **kwargs)
        # Fresh each time the form is made: the cars on duty change during the night.
        cast(forms.ModelChoiceField, self.fields["shift"]).queryset = active_shifts()
        if contact is not None:
            self.fields["source"].disabled = True
            self.initial = dict(self.initial) | {
                "source": Source.CITIZEN_CONTACT,
                "category": contact.category,
                "what": str(contact.category or _("Citizen contact")),
                "note": contact.reason,
                # A report from the public page may say where; the car should go there.
                "place_text": contact.place_text,
                "latitude": contact.latitude,
                "longitude": contact.longitude,
            }


class StepForm(forms.Form):
    """A step from the board or the phone: which, on which version of the request."""

    to = forms.ChoiceField(choices=State.choices)
    version = forms.IntegerField(min_value=1)
    shift = forms.ModelChoiceField(queryset=Shift.objects.all(), required=False)
    outcome = forms.ChoiceField(choices=TAP_OUTCOMES, required=False)
    note = forms.CharField(required=False, max_length=2000)
    client_key = ClientKeyField()
    happened_at = HappenedAtField()


class ClearAsIncidentForm(forms.Form):
    """Log the incident the call-out became; its place and source come from the request."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.active())
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", _("As the category")), *Severity.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    description = forms.CharField(
        max_length=LONG_TEXT,
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    client_key = ClientKeyField()


class PositionForm(PositionFields):
    position_required = True

    accuracy = forms.IntegerField(min_value=0, max_value=100_000, required=False)
