from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    CallOutcome,
    Category,
    Channel,
    ContactOutcome,
    FollowUpState,
    NightButtonSettings,
    Referral,
    Service,
    ServiceNumber,
    Severity,
    Source,
)
from patrols.models import Area, PhoneLine
from patrols.positions import PositionFields
from trygghet.core.idempotency import ClientKeyField, HappenedAtField
from trygghet.core.parsing import LONG_TEXT, SHORT_TEXT, MomentField
from trygghet.core.photos import clean_photo

MAX_PHOTOS = 5


class LocalDateTimeInput(forms.DateTimeInput):
    """The phone's own date-and-time picker; values are local time."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several optional photos, each checked and stripped of metadata (trygghet.core.photos)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos at a time."), params={"count": MAX_PHOTOS}
            )
        return [clean_photo(super(PhotosField, self).clean(item, initial)) for item in files]


class IncidentForm(PositionFields):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.active(),
        error_messages={"invalid_choice": _("Unknown category.")},
    )
    occurred_at = MomentField(label=_("When"), widget=LocalDateTimeInput())
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", _("As the category")), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.active(),
        required=False,
        help_text=_("Only needed without a position: the position decides the area."),
    )
    place_text = forms.CharField(label=_("Place"), max_length=SHORT_TEXT, required=False)
    description = forms.CharField(
        label=_("What happened"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    people_count = forms.IntegerField(
        label=_("Number of people involved"), min_value=0, max_value=1000, required=False
    )
    people_involved = forms.CharField(
        label=_("People involved"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Personal data: only what matters."),
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Source.choices, initial=Source.OWN_OBSERVATION
    )
    photos = PhotosField(label=_("Photos"))
    client_key = ClientKeyField()


class IncidentEditForm(IncidentForm):
    # A field set to None in a subclass is removed (Django's forms); the stubs do not allow it.
    client_key = None  # type: ignore[assignment]


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(label=_("Follow-up"), choices=FollowUpState.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class LegalHoldForm(forms.Form):
    held = forms.BooleanField(label=_("Keep from retention (legal hold)"), required=False)
    note = forms.CharField(
        label=_("Why (e.g. the police's case number)"), max_length=500, required=False
    )


class EscalationCallForm(forms.Form):
    """Sent by the tel: link's tap, before the phone dials."""

    service_number = forms.ModelChoiceField(queryset=ServiceNumber.objects.filter(active=True))
    client_key = forms.UUIDField()


class EscalationForm(forms.Form):
    service = forms.ChoiceField(label=_("Who was called"), choices=Service.choices)
    service_number = forms.ModelChoiceField(
        label=_("Which number"),
        queryset=ServiceNumber.objects.filter(active=True),
        required=False,
        help_text=_("Which of the service's numbers, if it has several."),
    )
    called_at = MomentField(label=_("Called at"), widget=LocalDateTimeInput())
    arrived_at = MomentField(label=_("Arrived at"), widget=LocalDateTimeInput(), required=False)
    reference = forms.CharField(label=_("Their reference number"), max_length=50, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    client_key = ClientKeyField()


class EscalationEditForm(EscalationForm):
    # A field set to None in a subclass is removed (Django's forms); the stubs do not allow it.
    service = None  # type: ignore[assignment]
    service_number = None  # type: ignore[assignment]
    client_key = None  # type: ignore[assignment]


class CitizenContactForm(forms.Form):
    received_at = MomentField(label=_("Received at"), widget=LocalDateTimeInput())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect
    )
    phone_line = forms.ModelChoiceField(
        label=_("Phone line"), queryset=PhoneLine.objects.filter(active=True), required=False
    )
    category = forms.ModelChoiceField(
        label=_("About"), queryset=Category.objects.active(), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    contact_details = forms.CharField(
        label=_("Contact details"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Only if the resident wants to be contacted. Never required."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Not handled yet")), *ContactOutcome.choices],
        required=False,
    )
    referred_to = forms.ChoiceField(
        label=_("Referred to"),
        choices=[("", _("Not referred")), *Referral.choices],
        required=False,
        help_text=_("When the outcome is a referral to another authority: which one."),
    )
    referred_to_other = forms.CharField(
        label=_("Which authority"), max_length=SHORT_TEXT, required=False
    )
    client_key = ClientKeyField()


class CitizenContactEditForm(CitizenContactForm):
    # A field set to None in a subclass is removed (Django's forms); the stubs do not allow it.
    received_at = None  # type: ignore[assignment]
    channel = None  # type: ignore[assignment]
    phone_line = None  # type: ignore[assignment]
    client_key = None  # type: ignore[assignment]


class NightButtonStartForm(forms.Form):
    phone_line = forms.ModelChoiceField(
        label=_("Phone line"),
        queryset=PhoneLine.objects.filter(active=True, night_button=True),
        required=False,
    )
    client_key = ClientKeyField()
    happened_at = HappenedAtField()


class NightButtonEndForm(forms.Form):
    outcome = forms.ChoiceField(choices=CallOutcome.choices)
    happened_at = HappenedAtField()


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class NightButtonSettingsForm(forms.ModelForm):
    class Meta:
        model = NightButtonSettings
        fields = ["opens_at", "closes_at", "lines_on_duty_only"]
        widgets = {"opens_at": TimeInput(), "closes_at": TimeInput()}


class ServiceNumberForm(forms.ModelForm):
    class Meta:
        model = ServiceNumber
        fields = ["service", "name", "number", "active", "position"]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "code",
            "kind",
            "group",
            "department",
            "name_sv",
            "name_en",
            "default_severity",
            "colour",
            "active",
            "quick_log",
            "position",
        ]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}
