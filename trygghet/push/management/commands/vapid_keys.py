"""Prints a new VAPID key pair for Web Push, as lines for the settings file; with --append-to,
adds one to that file unless it has one (`make run` does so for the demo)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from trygghet.push.vapid import new_key_pair

PRIVATE = "VAPID_PRIVATE_KEY"


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--append-to",
            type=Path,
            help="Add the pair to this settings file, unless it already has one.",
        )

    def handle(self, *args, append_to: Path | None = None, **options):
        public, private = new_key_pair()
        lines = f"VAPID_PUBLIC_KEY={public}\n{PRIVATE}={private}\n"
        if append_to is None:
            self.stdout.write(lines, ending="")
            return
        existing = append_to.read_text() if append_to.exists() else ""
        if any(line.startswith(f"{PRIVATE}=") for line in existing.splitlines()):
            return
        separator = "" if not existing or existing.endswith("\n") else "\n"
        append_to.write_text(existing + separator + lines)
        append_to.chmod(0o600)
        self.stdout.write(f"A VAPID key pair for Web Push is in {append_to}.")
