from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils.translation import gettext_lazy as _

from incidents.models import CategoryGroup
from patrols.models import Area
from trygghet.accounts.models import Organisation, User
from trygghet.accounts.policy import Capability
from trygghet.core.parsing import DayField


def partner_users():
    """Active users who read as partners (the role that holds the organisation scope) and
    belong to no department: the ones an organisation can have as members."""
    app_label, codename = Capability.WITHIN_ORGANISATION_SCOPE.value.split(".")
    return (
        User.objects.filter(
            is_active=True,
            department__isnull=True,
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        .distinct()
        .select_related("organisation")
        .order_by("first_name", "last_name", "username")
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.organisation_id:
            return _("{name} (now {organisation})").format(name=obj, organisation=obj.organisation)
        return str(obj)


class OrganisationForm(forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas it sees"),
        queryset=Area.objects.order_by("-active", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when it does not see every area."),
    )
    category_groups = forms.MultipleChoiceField(
        label=_("Category groups"),
        choices=CategoryGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every group."),
    )
    agreement_from = DayField(label=_("Agreement from"), required=False)
    agreement_to = DayField(
        label=_("Agreement to"),
        required=False,
        help_text=_("The last night it sees. Both empty: no limit."),
    )
    members = MemberChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Users with the partner role. A member moved here leaves their old organisation; "
            "one taken off belongs to none and sees nothing until given one."
        ),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "contact_email", "all_areas", "reports_weekly", "active"]

    field_order = [
        "name",
        "kind",
        "contact_email",
        "all_areas",
        "areas",
        "category_groups",
        "agreement_from",
        "agreement_to",
        "reports_weekly",
        "active",
        "members",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = partner_users()
        organisation = self.instance
        if organisation.pk:
            self.initial["areas"] = list(organisation.areas.values_list("pk", flat=True))
            self.initial["category_groups"] = organisation.category_groups
            self.initial["members"] = list(organisation.members.values_list("pk", flat=True))
            if organisation.agreement is not None:
                self.initial["agreement_from"] = organisation.agreement.lower
                if organisation.agreement.upper is not None:
                    # Stored as the first night after it; the chief names the last one.
                    self.initial["agreement_to"] = organisation.agreement.upper - timedelta(days=1)

    def clean(self):
        data = super().clean()
        first, last = data.get("agreement_from"), data.get("agreement_to")
        if first and last and last < first:
            self.add_error("agreement_to", _("The agreement cannot end before it begins."))
        if not data.get("all_areas") and not data.get("areas") and "areas" not in self.errors:
            self.add_error("areas", _("Choose the areas it sees, or every area."))
        return data

    def agreement(self) -> DateRange | None:
        first = self.cleaned_data.get("agreement_from")
        last = self.cleaned_data.get("agreement_to")
        if first is None and last is None:
            return None
        return DateRange(first, last + timedelta(days=1) if last else None)
