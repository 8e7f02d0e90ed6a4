import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trygghet.audit import selectors
from trygghet.audit.forms import TrailFilterForm

COLUMNS = [
    "at",
    "user",
    "token",
    "record_type",
    "record",
    "what",
    "filter",
    "rows",
    "address",
    "reason",
    "reason_note",
]


class Command(BaseCommand):
    help = (
        "The audit trail of reads as CSV on standard output, filtered like the data protection "
        "officer's page: --user NAME, --object incidents.Incident:123, --from/--to YYYY-MM-DD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", default="", help="Reads by this user name.")
        parser.add_argument(
            "--object", default="", help="Reads of this record, as app.Model:id (who has seen it)."
        )
        parser.add_argument("--from", dest="first_day", default="", help="First day, inclusive.")
        parser.add_argument("--to", dest="last_day", default="", help="Last day, inclusive.")

    def handle(self, *args, **options):
        form = TrailFilterForm(
            {name: options[name] for name in ("user", "object", "first_day", "last_day")}
        )
        if not form.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            raise CommandError(problems)
        writer = csv.writer(self.stdout)
        writer.writerow(COLUMNS)
        for read in selectors.reads(**form.cleaned_data).iterator(chunk_size=2000):
            writer.writerow(
                [
                    timezone.localtime(read.at).isoformat(),
                    read.user.username,
                    read.token.prefix if read.token else "",
                    read.subject_type,
                    read.subject_id if read.subject_id is not None else "",
                    read.what,
                    "&".join(f"{key}={value}" for key, value in read.filters.items()),
                    "" if read.rows is None else read.rows,
                    read.address or "",
                    read.reason,
                    read.reason_note,
                ]
            )
