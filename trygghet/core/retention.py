"""The retention run: every app's step (its AppConfig's `retention`), in one transaction, and
its account written to the retention log. `manage.py retention` and the scheduled task both
call `run_retention`."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from trygghet.core.models import RetentionLog
from trygghet.core.retention_periods import cutoffs


def run_retention(*, dry_run: bool, now: datetime | None = None) -> list[RetentionLog]:
    """Clear (or with `dry_run` only count) what is past its period; ImproperlyConfigured when a
    period is below its floor, before anything is touched."""
    now = now or timezone.now()
    limits = cutoffs(now)
    entries = []
    with transaction.atomic():
        for config in apps.get_app_configs():
            step = getattr(config, "retention", None)
            if not step:
                continue
            for removed in import_string(step)(cutoffs=limits, dry_run=dry_run):
                entries.append(
                    RetentionLog(
                        run_at=now,
                        dry_run=dry_run,
                        app=config.label,
                        record_type=removed.record_type,
                        removed=removed.count,
                        period_days=limits.days.get(removed.period) if removed.period else None,
                        held=removed.held,
                    )
                )
        return RetentionLog.objects.bulk_create(entries)
