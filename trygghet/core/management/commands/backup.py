from pathlib import Path

from django.core.management.base import BaseCommand

from trygghet.core.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, one snapshot) and the uploaded photos into DIR, a new "
        "or empty folder, with a manifest of their checksums and every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="The folder to write the backup into.")

    def handle(self, *args, dir, **options):
        manifest = backup(dir, say=self.stdout.write)
        self.stdout.write(f"Backed up {sum(manifest['tables'].values()):,} rows to {dir}")
