"""The forms' one adapter for services' refusals."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from trygghet.core.forms import error_text, submit


class NoteForm(forms.Form):
    note = forms.CharField()


def _refuse(error):
    def call(data):
        raise error

    return call


def test_submit_returns_what_the_service_returned():
    assert submit(NoteForm({"note": "ok"}), lambda data: data["note"].upper()) == "OK"


def test_submit_does_not_call_the_service_for_an_invalid_form():
    form = NoteForm({})

    assert submit(form, _refuse(AssertionError("called"))) is None
    assert "note" in form.errors


@pytest.mark.parametrize(
    ("error", "field"),
    [
        (ValidationError({"note": "Too late to change."}), "note"),
        (ValidationError({"shift": "The shift has ended."}), "__all__"),
        (ValidationError("Someone else was first."), "__all__"),
    ],
)
def test_a_service_error_goes_on_its_field_or_above_the_form(error, field):
    form = NoteForm({"note": "ok"})

    assert submit(form, _refuse(error)) is None
    assert list(form.errors) == [field]


def test_error_text_joins_the_messages():
    error = ValidationError({"note": "Too late.", "shift": "Ended."})

    assert error_text(error) == "Too late. Ended."
