"""The one way a service's refusal reaches a form, for every app's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def submit(form: forms.BaseForm, call: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate the form, then run the service on its cleaned data; a ValidationError from the
    service goes onto the form. Returns what the service returned, or None when either refused."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message or a plain-text answer where there is no
    form to put it on."""
    return " ".join(error.messages)


# Django's empty choice, "---------", in every language and for required and optional fields
# alike; every form's select says it in words instead (the renderer below hands this bound
# field to every form of the project).
DJANGO_EMPTY_LABEL = "---------"


class WordedEmptyChoice(forms.BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        word = _("Choose") if field.required else _("None chosen")
        if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
            field.empty_label = word
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            field.choices = [
                (value, word if (value, label) == ("", DJANGO_EMPTY_LABEL) else label)
                for value, label in field.choices
            ]


class FormRenderer(DjangoTemplates):
    bound_field_class = WordedEmptyChoice
