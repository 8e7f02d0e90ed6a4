from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Exclusion constraints on shifts (no host on two overlapping shifts) need btree_gist."""

    initial = True
    dependencies = []
    operations = [BtreeGistExtension()]
