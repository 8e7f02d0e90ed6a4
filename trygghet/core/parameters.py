"""Query parameters nobody reads are refused, in the API and on the pages with a filter form:
a typo (`?occured_after=`) must not quietly answer with everything."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django import forms
from django.utils.translation import gettext as _


def unknown_parameters(names: Iterable[str], known: Collection[str]) -> dict[str, str]:
    """Each of `names` that is not `known`, with a message that names it and what there is."""
    allowed = ", ".join(sorted(known))
    return {
        name: _("Unknown parameter {name}: use {allowed}.").format(name=name, allowed=allowed)
        for name in names
        if name not in known
    }


class RefusesUnknownParameters:
    """For a form (or a filterset's form) bound to a page's query string: a parameter that is
    none of its fields nor in `other_parameters` is an error of the form, which the page shows
    with a 400 as it does a bad value."""

    other_parameters: Collection[str] = ("page",)

    def clean(self):
        cleaned = super().clean()
        known = {*self.fields, *self.other_parameters}
        for message in unknown_parameters(self.data, known).values():
            self.add_error(None, message)
        return cleaned


class PageFilterForm(RefusesUnknownParameters, forms.Form):
    """The form of a list page's filterset: its filters, the page number, and the CSV dialect
    and coordinate system of the page's download."""

    other_parameters = ("page", "dialect", "crs")
