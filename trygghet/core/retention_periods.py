"""Retention periods: personal data is kept only as long as it is needed.

`manage.py retention` calls the step each installed app names in its AppConfig's `retention`
(the dotted path of a function `(*, cutoffs, dry_run) -> [(label, count)]`), all in one
transaction. The periods are settings with a hard floor, so a mistyped
setting cannot wipe last week's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, FileField, Model, Q, QuerySet
from django.db.models.functions import Round

# Never clear data younger than this, whatever the settings say.
FLOOR_PERSONAL_DATA_DAYS = 90
FLOOR_CONTACT_DETAILS_DAYS = 7
# A photo's file is written before its row is committed. A file this old that no row names was
# left by a submission that was rolled back (its row went, the file stayed).
ORPHANED_FILES_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Cutoffs:
    """Data from before these moments is cleared."""

    personal_data: datetime
    contact_details: datetime
    orphaned_files: datetime


def cutoffs(now: datetime) -> Cutoffs:
    personal = settings.RETENTION_PERSONAL_DATA_DAYS
    contact = settings.RETENTION_CONTACT_DETAILS_DAYS
    if personal < FLOOR_PERSONAL_DATA_DAYS or contact < FLOOR_CONTACT_DETAILS_DAYS:
        raise ImproperlyConfigured(
            f"Retention periods below the floor: personal data at least "
            f"{FLOOR_PERSONAL_DATA_DAYS} days (is {personal}), contact details at least "
            f"{FLOOR_CONTACT_DETAILS_DAYS} days (is {contact})."
        )
    return Cutoffs(
        personal_data=now - timedelta(days=personal),
        contact_details=now - timedelta(days=contact),
        orphaned_files=now - ORPHANED_FILES_AFTER,
    )


# Old positions are rounded to about a hundred metres: enough for the situational picture, too
# coarse to point at a door.
POSITION_DECIMALS = 3


def with_exact_positions(queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` whose latitude/longitude are finer than POSITION_DECIMALS."""
    return queryset.annotate(
        rounded_lat=Round("latitude", POSITION_DECIMALS),
        rounded_lon=Round("longitude", POSITION_DECIMALS),
    ).filter(~Q(latitude=F("rounded_lat")) | ~Q(longitude=F("rounded_lon")))


def round_positions(queryset: QuerySet) -> int:
    model = queryset.model
    return model._default_manager.filter(pk__in=queryset.values("pk")).update(
        latitude=Round("latitude", POSITION_DECIMALS),
        longitude=Round("longitude", POSITION_DECIMALS),
    )


def sweep_orphaned_files(
    model: type[Model], field_name: str, *, before: datetime, dry_run: bool
) -> int:
    """Delete (or with `dry_run` only count) the files in the folder of `model.field_name`'s
    uploads that no row names, last written before `before`."""
    field = cast(FileField, model._meta.get_field(field_name))
    storage = field.storage
    named = set(model._default_manager.values_list(field_name, flat=True))
    found = []

    def walk(folder: str) -> None:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            path = f"{folder}/{name}"
            if path not in named and storage.get_modified_time(path) < before:
                found.append(path)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk(cast(str, field.upload_to).split("/")[0])
    if not dry_run:
        for path in found:
            storage.delete(path)
    return len(found)
