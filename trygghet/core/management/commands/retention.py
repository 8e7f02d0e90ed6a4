from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from trygghet.core.retention_periods import cutoffs


class Command(BaseCommand):
    help = (
        "Clear personal data older than the retention periods (RETENTION_PERSONAL_DATA_DAYS, "
        "RETENTION_CONTACT_DETAILS_DAYS). Run it daily; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run, **options):
        try:
            limits = cutoffs(timezone.now())
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            for config in apps.get_app_configs():
                step = getattr(config, "retention", None)
                if not step:
                    continue
                for label, count in import_string(step)(cutoffs=limits, dry_run=dry_run):
                    verb = "would clear" if dry_run else "cleared"
                    self.stdout.write(f"{config.label}: {verb} {count} {label}")
