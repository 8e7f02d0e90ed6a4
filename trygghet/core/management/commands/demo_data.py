from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from trygghet.core.demodata import DemoContext


class Command(BaseCommand):
    help = "Build a believable demo municipality (only in demo mode: DEMO=true). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--incidents",
            type=int,
            default=20_000,
            help="How many incidents to make (default 20 000).",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, incidents, seed, **options):
        if not settings.DEMO:
            raise CommandError("Demo data is only made in demo mode (set DEMO=true).")
        if incidents < 0:
            raise CommandError("--incidents must be zero or more.")
        ctx = DemoContext(out=self.stdout, incidents=incidents, seed=seed)
        for config in apps.get_app_configs():
            if step := getattr(config, "demo_data", None):
                with transaction.atomic():
                    import_string(step)(ctx)
        for line in ctx.closing:
            self.stdout.write(line)
