from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from trygghet.core.retention import run_retention


class Command(BaseCommand):
    help = (
        "Clear personal data older than its retention period (the RETENTION_*_DAYS settings) "
        "and write what was removed to the retention log. Run it daily; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run, **options):
        try:
            entries = run_retention(dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        verb = "would clear" if dry_run else "cleared"
        for entry in entries:
            held = f" ({entry.held} kept under a legal hold)" if entry.held else ""
            self.stdout.write(f"{entry.app}: {verb} {entry.removed} {entry.record_type}{held}")
