from django.db import migrations

LINES = [
    ("0722-31 39 41", "Trygghetsvärd 1"),
    ("0722-31 40 69", "Trygghetsvärd 2"),
    ("0722-31 70 19", "Trygghetsvärd 3"),
]


def add_lines(apps, schema_editor):
    PhoneLine = apps.get_model("patrols", "PhoneLine")
    for number, name in LINES:
        PhoneLine.objects.get_or_create(number=number, defaults={"name": name, "night_button": True})


def remove_lines(apps, schema_editor):
    apps.get_model("patrols", "PhoneLine").objects.filter(number__in=[n for n, _ in LINES]).delete()


class Migration(migrations.Migration):
    """The three mobile numbers of the night button (nattknappen), as the municipality lists them."""

    dependencies = [("patrols", "0002_areas_assignments_shifts")]
    operations = [migrations.RunPython(add_lines, remove_lines)]
