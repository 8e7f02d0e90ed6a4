from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, CitizenContact
from patrols.positions import PositionFields
from trygghet.core.forms import submit
from trygghet.core.ratelimit import allow, client_ip
from trygghet.public.models import PublicText
from trygghet.public.services import report_create

REFUSED = _("The report could not be sent.")
TOO_MANY = _(
    "You have sent many reports in a short time. Try again later, or call the safety hosts."
)

# What a resident may report on the public page (and through Open311), as category codes of the
# incidents app: the examples the public page names.
REPORT_CATEGORIES = ("vandalism", "littering", "graffiti", "crowd", "unsafe_place", "other")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.name


class ReportForm(PositionFields):
    """A non-urgent report from a resident. Contact details are never required."""

    category = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose what the report is about.")},
    )
    reason = forms.CharField(
        label=_("What did you see?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe briefly what you saw.")},
    )
    place_text = forms.CharField(
        label=_("Where?"),
        max_length=200,
        required=False,
        help_text=_("An address or a place, if you want. You can also mark it on the map."),
    )
    contact_details = forms.CharField(
        label=_("Your phone number or e-mail (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you want the safety hosts to contact you."),
    )
    # Hidden from people with CSS and from screen readers; bots that fill every field fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.active().filter(
            code__in=REPORT_CATEGORIES
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def save(self) -> CitizenContact | None:
        """The report as a waiting web contact; None, with the errors on the form, if refused."""
        return submit(
            self,
            lambda data: report_create(
                category=data["category"],
                reason=data["reason"],
                contact_details=data["contact_details"],
                place_text=data["place_text"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            ),
        )


def report_allowed(request) -> bool:
    """Count one report from this client; False once it has sent too many in the window. The
    public page and Open311 share the count, so a second channel gives no second quota."""
    return allow(
        f"public-report:{client_ip(request)}",
        limit=settings.PUBLIC_REPORT_LIMIT,
        window_seconds=settings.PUBLIC_REPORT_WINDOW_MINUTES * 60,
    )


class PublicTextForm(forms.ModelForm):
    class Meta:
        model = PublicText
        fields = ["title_sv", "body_sv", "title_en", "body_en"]
        widgets = {
            "body_sv": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "body_sv": _("A blank line starts a new paragraph."),
            "body_en": _("Leave the English title and text empty to show the Swedish text."),
        }
