"""Retention periods: personal data is kept only as long as it is needed.

`manage.py retention` (trygghet/core/retention.py) calls the step each installed app names in its
AppConfig's `retention` (the dotted path of a function `(*, cutoffs, dry_run) -> [Removed]`), all
in one transaction. Each kind of record has its own period, a setting with a hard floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, FileField, Model, Q, QuerySet
from django.db.models.functions import Round

# Each kind of record's period: the setting that gives it in days, and the hard floor below
# which no setting is accepted, so a mistyped value cannot wipe last week's work.
PERIODS = {
    "personal_data": ("RETENTION_PERSONAL_DATA_DAYS", 90),
    "contact_details": ("RETENTION_CONTACT_DETAILS_DAYS", 7),
    "deviations": ("RETENTION_DEVIATION_DAYS", 90),
    "department_tasks": ("RETENTION_DEPARTMENT_TASK_DAYS", 90),
    "night_button": ("RETENTION_NIGHT_BUTTON_DAYS", 90),
    "dispatch": ("RETENTION_DISPATCH_DAYS", 90),
    # The trail of reads must outlive the data it is about; its table refuses deletes of younger
    # rows itself (trygghet/audit/migrations).
    "audit": ("RETENTION_AUDIT_DAYS", 365),
}
# A photo's file is written before its row is committed. A file this old that no row names was
# left by a submission that was rolled back (its row went, the file stayed).
ORPHANED_FILES_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Cutoffs:
    """Data from before these moments is cleared; `days` holds each period's length."""

    personal_data: datetime
    contact_details: datetime
    deviations: datetime
    department_tasks: datetime
    night_button: datetime
    dispatch: datetime
    audit: datetime
    orphaned_files: datetime
    days: dict[str, int]


@dataclass(frozen=True)
class Removed:
    """One line of a retention step's account: what kind of record, how many were cleared (or
    would be, in a dry run), under which period, and how many were kept for a legal hold."""

    record_type: str
    count: int
    period: str | None = None
    held: int = 0


def cutoffs(now: datetime) -> Cutoffs:
    days = {name: getattr(settings, setting) for name, (setting, _floor) in PERIODS.items()}
    below = [
        f"{setting} at least {floor} days (is {days[name]})"
        for name, (setting, floor) in PERIODS.items()
        if days[name] < floor
    ]
    if below:
        raise ImproperlyConfigured("Retention periods below the floor: " + ", ".join(below) + ".")
    return Cutoffs(
        **{name: now - timedelta(days=count) for name, count in days.items()},
        orphaned_files=now - ORPHANED_FILES_AFTER,
        days=days,
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
