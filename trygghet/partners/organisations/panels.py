"""The partner's start page says what they see: their organisation's scope, or that they
belong to none and so see nothing yet."""

from incidents.models import CategoryGroup
from patrols.permissions import areas_for_user
from trygghet.accounts.policy import organisation_scope


def scope(request) -> dict:
    held = organisation_scope(request.user)
    if held is None or held.organisation is None:
        return {"organisation": None}
    organisation = held.organisation
    groups = dict(CategoryGroup.choices)
    return {
        "organisation": organisation,
        "areas": None if organisation.all_areas else list(areas_for_user(request.user)),
        "groups": [groups.get(code, code) for code in organisation.category_groups],
        "agreement": held.last_nights,
    }
