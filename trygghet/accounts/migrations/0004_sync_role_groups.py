from django.db import migrations

from trygghet.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """The chief may now edit the public page's texts."""

    dependencies = [("accounts", "0003_edit_public_texts")]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
