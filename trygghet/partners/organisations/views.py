from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incidents.models import CategoryGroup
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.models import Organisation, User
from trygghet.accounts.policy import Capability
from trygghet.accounts.scope import Scope
from trygghet.core.forms import submit
from trygghet.partners.organisations.forms import OrganisationForm
from trygghet.partners.organisations.services import organisation_save

manages = capability_required(Capability.MANAGE_ORGANISATIONS)


@manages
@require_GET
def organisation_list(request):
    """Every organisation with its scope and members: two prefetches, whatever their number."""
    organisations = Organisation.objects.prefetch_related(
        "areas",
        Prefetch("members", queryset=User.objects.order_by("first_name", "last_name")),
    )
    groups = dict(CategoryGroup.choices)
    rows = [
        {
            "organisation": organisation,
            "groups": [groups.get(code, code) for code in organisation.category_groups],
            "agreement": Scope(organisation).last_nights,
        }
        for organisation in organisations
    ]
    return render(request, "partners/organisation_list.html", {"rows": rows})


@manages
def organisation_edit(request, pk: int | None = None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation)

    def save(data):
        return organisation_save(
            organisation=organisation,
            data=data,
            agreement=form.agreement(),
            category_groups=data["category_groups"],
            areas=data["areas"],
            members=data["members"],
        )

    if request.method == "POST":
        if saved := submit(form, save):
            messages.success(request, _("{name} is saved.").format(name=saved.name))
            return redirect("organisations:organisation-list")
        status = 400
    else:
        status = 200
    title = organisation.name if organisation else _("New partner organisation")
    return render(
        request, "partners/organisation_form.html", {"form": form, "title": title}, status=status
    )
