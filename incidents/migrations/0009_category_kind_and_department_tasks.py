import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The hosts' own work: counted beside their presence, never as something that happened.
ACTIVITY_GROUPS = ["dialogue"]


def mark_activities_and_add_lighting(apps, schema_editor):
    Category = apps.get_model("incidents", "Category")
    Category.objects.filter(group__in=ACTIVITY_GROUPS).update(kind="activity")
    # A street issue the hosts see every night; the admin names the department that fixes it.
    Category.objects.get_or_create(
        code="broken_lighting",
        defaults={
            "group": "unsafe_place",
            "name_sv": "Trasig belysning",
            "name_en": "Broken lighting",
            "default_severity": 1,
            "colour": "#5d4037",
            "quick_log": False,
            "position": 175,
        },
    )


class Migration(migrations.Migration):
    """Categories have a kind: an event (what the incident figures count) or an activity of
    the hosts; the dialogue categories are activities. A category may name the department
    responsible in public space, whose tasks its events become, followed up step by step."""

    dependencies = [
        ("accounts", "0004_sync_role_groups"),
        ("incidents", "0008_area_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

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
        migrations.AddField(
            model_name='category',
            name='department',
            field=models.ForeignKey(blank=True, help_text='The department that puts things right in public space (graffiti, littering, broken lighting): each event the hosts log in this category becomes its task.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.department', verbose_name='responsible department'),
        ),
        migrations.CreateModel(
            name='DepartmentTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('found_at', models.DateTimeField(verbose_name='found at')),
                ('state', models.CharField(choices=[('open', 'Open'), ('acknowledged', 'Acknowledged'), ('resolved', 'Resolved')], default='open', max_length=12, verbose_name='state')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                ('notified_at', models.DateTimeField(blank=True, help_text='When the e-mail to the contact was sent; empty if it could not be sent.', null=True, verbose_name='owner notified at')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incident_tasks', to='accounts.department', verbose_name='department')),
                ('incident', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='department_task', to='incidents.incident', verbose_name='incident')),
            ],
            options={
                'verbose_name': 'street-issue task',
                'verbose_name_plural': 'street-issue tasks',
                'ordering': ['-found_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DepartmentTaskStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_state', models.CharField(blank=True, choices=[('open', 'Open'), ('acknowledged', 'Acknowledged'), ('resolved', 'Resolved')], max_length=12, verbose_name='from')),
                ('state', models.CharField(choices=[('open', 'Open'), ('acknowledged', 'Acknowledged'), ('resolved', 'Resolved')], max_length=12, verbose_name='to')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('note', models.TextField(blank=True, max_length=4000, verbose_name='note')),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='incidents.departmenttask', verbose_name='task')),
            ],
            options={
                'verbose_name': 'follow-up step',
                'verbose_name_plural': 'follow-up steps',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='departmenttask',
            index=models.Index(fields=['department', 'state', 'found_at'], name='incidents_d_departm_02f6d6_idx'),
        ),
        migrations.AddConstraint(
            model_name='departmenttask',
            constraint=models.CheckConstraint(condition=models.Q(('found_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('found_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='incidents_departmenttask_found_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='departmenttask',
            constraint=models.CheckConstraint(condition=models.Q(('resolved_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('resolved_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='incidents_departmenttask_resolved_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='departmenttask',
            constraint=models.CheckConstraint(condition=models.Q(('notified_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('notified_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='incidents_departmenttask_notified_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='departmenttask',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['open', 'acknowledged', 'resolved'])), name='department_task_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='departmenttask',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('resolved_at__isnull', False), ('state', 'resolved')), models.Q(models.Q(('state', 'resolved'), _negated=True), ('resolved_at__isnull', True)), _connector='OR'), name='department_task_resolved_at_with_state'),
        ),
        migrations.AddConstraint(
            model_name='departmenttaskstep',
            constraint=models.CheckConstraint(condition=models.Q(('at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='incidents_departmenttaskstep_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='departmenttaskstep',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('from_state', ''), ('state', 'open')), models.Q(('from_state', 'open'), ('state', 'acknowledged')), models.Q(('from_state', 'acknowledged'), ('state', 'resolved')), _connector='OR'), name='department_task_step_allowed'),
        ),
        migrations.AddConstraint(
            model_name='departmenttaskstep',
            constraint=models.UniqueConstraint(fields=('task', 'state'), name='department_task_step_once'),
        ),
        migrations.AddConstraint(
            model_name='departmenttaskstep',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'resolved'), _negated=True), models.Q(('note', ''), _negated=True), _connector='OR'), name='department_task_resolved_with_note'),
        ),
        # Nothing to undo: the fields and tables go, and a category kept is harmless (deleting
        # it here would leave trigger events pending under the ALTER TABLEs that follow).
        migrations.RunPython(mark_activities_and_add_lighting, migrations.RunPython.noop),
    ]
