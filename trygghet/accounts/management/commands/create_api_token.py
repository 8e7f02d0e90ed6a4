from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trygghet.accounts.models import ApiToken, User
from trygghet.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create a named API token for a user and print its key (shown this once only); "
        "when it expires goes to standard error, so that the key alone can be captured."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'EST export'."
        )
        parser.add_argument(
            "--days",
            type=int,
            help="How many days the token works (default: API_TOKEN_LIFETIME_DAYS, a year).",
        )

    def handle(self, *args, username, name, days, **options):
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days is between 1 and 3650.")
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"No active user named {username!r}.") from error
        if ApiToken.objects.filter(user=user, name=name).exists():
            raise CommandError(f"{username} already has a token named {name!r}.")
        expires_at = timezone.now() + timedelta(days=days) if days is not None else None
        token, key = api_token_create(user=user, name=name, expires_at=expires_at)
        self.stdout.write(key)
        expires = timezone.localtime(token.expires_at).isoformat(timespec="minutes")
        self.stderr.write(f"Expires {expires}.")
