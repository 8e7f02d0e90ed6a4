from django import forms
from django.utils.translation import gettext_lazy as _

from trygghet.public.models import PublicText


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
