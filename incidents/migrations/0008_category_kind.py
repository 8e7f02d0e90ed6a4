from django.db import migrations, models

# The hosts' own work: counted beside their presence, never as something that happened.
ACTIVITY_GROUPS = ["dialogue"]


def mark_activities(apps, schema_editor):
    apps.get_model("incidents", "Category").objects.filter(group__in=ACTIVITY_GROUPS).update(
        kind="activity"
    )


class Migration(migrations.Migration):
    """Categories have a kind: an event (what the incident figures count) or an activity of
    the hosts; the dialogue categories are activities."""

    dependencies = [("incidents", "0007_readable_times_and_bounded_text")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="kind",
            field=models.CharField(
                choices=[("event", "Event"), ("activity", "Activity")],
                default="event",
                help_text=(
                    "An event is something that happened; an activity is the hosts' own work "
                    "(dialogue, support given), counted apart from the events."
                ),
                max_length=8,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=["event", "activity"]), name="category_kind_valid"
            ),
        ),
        migrations.RunPython(mark_activities, migrations.RunPython.noop),
    ]
