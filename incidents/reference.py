"""The chief's own pages for the night button's hours, the numbers the hosts call and the
categories: what only the admin could change before, with every change logged."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from incidents import selectors, services
from incidents.forms import CategoryForm, NightButtonSettingsForm, ServiceNumberForm
from incidents.models import Category, NightButtonSettings, ServiceNumber
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.forms import submit

KINDS = {
    "numbers": (ServiceNumber, ServiceNumberForm),
    "categories": (Category, CategoryForm),
}

manages = capability_required(Capability.MANAGE_INCIDENTS)


@manages
def reference(request):
    """The night button's hours (saved here) beside the numbers, the categories and the log."""
    form = NightButtonSettingsForm(request.POST or None, instance=NightButtonSettings.current())
    if request.method == "POST" and submit(
        form, lambda data: services.night_button_settings_save(by=request.user, **data)
    ):
        messages.success(request, _("The night button's hours are saved."))
        return redirect("incidents:reference")
    context = {
        "form": form,
        "numbers": ServiceNumber.objects.all(),
        "categories": Category.objects.all(),
        "changes": selectors.reference_changes(),
    }
    return render(request, "incidents/reference.html", context, status=400 if form.errors else 200)


@manages
def reference_edit(request, kind: str, pk: int | None = None):
    if kind not in KINDS:
        raise Http404
    model, form_class = KINDS[kind]
    instance = cast("ServiceNumber | Category", get_object_or_404(model, pk=pk) if pk else model())
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and (
        saved := submit(
            form, lambda data: services.reference_save(row=instance, by=request.user, **data)
        )
    ):
        messages.success(request, _("{name} is saved.").format(name=saved))
        return redirect("incidents:reference")
    context = {
        "form": form,
        "title": str(instance) if pk else str(capfirst(model._meta.verbose_name)),
    }
    return render(
        request, "incidents/reference_edit.html", context, status=400 if form.errors else 200
    )
