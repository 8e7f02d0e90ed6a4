from django.core.management.base import BaseCommand, CommandError

from trygghet.accounts.models import ApiToken, User
from trygghet.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a named API token for a user and print its key (shown this once only)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'EST export'."
        )

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"No active user named {username!r}.") from error
        if ApiToken.objects.filter(user=user, name=name).exists():
            raise CommandError(f"{username} already has a token named {name!r}.")
        _token, key = api_token_create(user=user, name=name)
        self.stdout.write(key)
