from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from patrols.models import Area
from trygghet.accounts.models import Department, Organisation
from trygghet.core.parsing import LONG_TEXT, DayField
from trygghet.partners.models import CLOSED_STATUSES, Action, ActionStatus

# Said on every form of the record: it is read by every partner of the group and kept.
PLACES_NOT_PEOPLE = _(
    "Write about places and what organisations do, never about people: no names, no personal "
    "identity numbers, nothing that tells who someone is. Every partner in the group reads this."
)
HOSTS = "hosts"


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentForm(forms.Form):
    text = forms.CharField(
        label=_("Assessment"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PLACES_NOT_PEOPLE,
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PLACES_NOT_PEOPLE,
    )


class ActionProgressForm(forms.Form):
    """What the party an action is given to may change: how far it has come."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("What came of it"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PLACES_NOT_PEOPLE,
    )

    def clean(self):
        data = super().clean()
        if data.get("status") in CLOSED_STATUSES and not data.get("outcome", "").strip():
            self.add_error("outcome", _("Say what came of it when the action is closed."))
        return data


class ActionForm(ActionProgressForm):
    """The chief's: the whole action. Who does it is one choice among the safety hosts, the
    partner organisations and the departments."""

    what = forms.CharField(
        label=_("What"),
        max_length=Action._meta.get_field("what").max_length,
        help_text=PLACES_NOT_PEOPLE,
    )
    area = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole municipality"),
    )
    who = forms.ChoiceField(label=_("Who"))
    due = DayField(label=_("By when"), widget=DateInput)
    field_order = ["what", "area", "who", "due", "status", "outcome"]

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        self.organisations = {o.pk: o for o in Organisation.objects.filter(active=True)}
        self.departments = {d.pk: d for d in Department.objects.filter(active=True)}
        cast(forms.ChoiceField, self.fields["who"]).choices = [
            (HOSTS, _("The safety hosts")),
            (
                _("Partner organisations"),
                [(f"organisation-{pk}", str(o)) for pk, o in self.organisations.items()],
            ),
            (
                _("Departments"),
                [(f"department-{pk}", str(d)) for pk, d in self.departments.items()],
            ),
        ]

    def clean_who(self) -> dict:
        kind, _dash, pk = self.cleaned_data["who"].partition("-")
        if kind == "organisation":
            return {"organisation": self.organisations[int(pk)], "department": None}
        if kind == "department":
            return {"organisation": None, "department": self.departments[int(pk)]}
        return {"organisation": None, "department": None}

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return data | data.pop("who")

    @staticmethod
    def initial_for(action: Action) -> dict:
        if action.organisation_id:
            who = f"organisation-{action.organisation_id}"
        elif action.department_id:
            who = f"department-{action.department_id}"
        else:
            who = HOSTS
        return {
            "what": action.what,
            "area": action.area_id,
            "who": who,
            "due": action.due,
            "status": action.status,
            "outcome": action.outcome,
        }
