from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from patrols.models import Area
from trygghet.accounts.models import Organisation, User

FIELDS = ("name", "kind", "contact_email", "all_areas", "reports_weekly", "active")


def organisation_save(
    *,
    organisation: Organisation | None,
    data: dict,
    agreement: DateRange | None,
    category_groups: list[str],
    areas: Iterable[Area],
    members: Iterable[User],
) -> Organisation:
    """Creates or updates an organisation with its scope and members, all or nothing. An
    organisation that sees every area keeps no list of areas (so none comes back unnoticed when
    the chief narrows it again); members taken off belong to no organisation."""
    organisation = organisation or Organisation()
    for field in FIELDS:
        setattr(organisation, field, data[field])
    organisation.agreement = agreement
    organisation.category_groups = sorted(category_groups)
    member_ids = [member.pk for member in members]
    with transaction.atomic():
        organisation.save()
        organisation.areas.set([] if organisation.all_areas else list(areas))
        organisation.members.exclude(pk__in=member_ids).update(organisation=None)
        User.objects.filter(pk__in=member_ids).update(organisation=organisation)
    return organisation
