from django.conf import settings
from django.core.management.base import BaseCommand

from trygghet.dispatch.services import expired_positions, position_purge


class Command(BaseCommand):
    help = (
        "Delete the phones' positions past their time (DISPATCH_POSITION_RETENTION_MINUTES). "
        "The worker runs it every five minutes; safe to run by hand as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run: bool, **options):
        minutes = settings.DISPATCH_POSITION_RETENTION_MINUTES
        if dry_run:
            count = expired_positions().count()
            self.stdout.write(f"{count} positions are older than {minutes} minutes (dry run).")
            return
        deleted = position_purge()
        self.stdout.write(f"Deleted {deleted} positions older than {minutes} minutes.")
