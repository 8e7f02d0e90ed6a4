from pathlib import Path

from django.core.management.base import BaseCommand

from trygghet.core.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` from DIR into the database DATABASE_URL names, which "
        "must be empty, and the upload storage; checks every checksum and row count."
    )
    # The checks would read the tables that are not there yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="The folder of the backup.")

    def handle(self, *args, dir, **options):
        manifest = restore(dir, say=self.stdout.write)
        self.stdout.write(f"Restored the backup of {manifest['created']} from {dir}")
