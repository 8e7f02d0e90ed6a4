from django import forms
from django.utils.translation import gettext_lazy as _

from trygghet.audit.models import Read, Reason
from trygghet.core.parameters import RefusesUnknownParameters
from trygghet.core.parsing import DayField


class ReasonForm(forms.Form):
    # Prefixed, so that the answer never mixes with the fields of the page's own forms (a
    # citizen contact has a "reason" of its own).
    PREFIX = "audit"
    FIELD = "audit-reason"

    reason = forms.ChoiceField(label=_("Why do you open it?"), choices=Reason.choices)
    note = forms.CharField(
        label=_("In your own words"),
        max_length=Read._meta.get_field("reason_note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Describe the reason."))
        return data


class TrailFilterForm(RefusesUnknownParameters, forms.Form):
    """The trail's filters, shared by the page and `manage.py audit_report`: a person (user
    name), a record ("incidents.incident:123") and a period of days."""

    user = forms.CharField(label=_("Person (user name)"), max_length=150, required=False)
    object = forms.CharField(
        label=_("Record"),
        max_length=120,
        required=False,
        help_text=_("Type and number, for example incidents.incident:123."),
    )
    first_day = DayField(label=_("From"), required=False)
    last_day = DayField(label=_("To"), required=False)

    def clean_object(self) -> tuple[str, int] | None:
        text = self.cleaned_data["object"].strip()
        if not text:
            return None
        label, _sep, number = text.rpartition(":")
        if not label or not number.isdigit():
            raise forms.ValidationError(_("Write the record as type:number."))
        return label.lower(), int(number)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The period ends before it starts."))
        return data
