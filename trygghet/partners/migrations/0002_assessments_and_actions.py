import datetime
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_assessment_capabilities'),
        ('partners', '0001_weekly_reports'),
        ('patrols', '0007_area_partner_organisations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('week', 'Week'), ('month', 'Month'), ('tertial', 'Tertial')], max_length=10, verbose_name='period')),
                ('first', models.DateField(verbose_name='first night')),
                ('text', models.TextField(blank=True, max_length=4000, verbose_name='assessment')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='written by')),
            ],
            options={
                'verbose_name': 'assessment',
                'verbose_name_plural': 'assessments',
                'ordering': ['-first', 'kind'],
            },
        ),
        migrations.CreateModel(
            name='Action',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('what', models.CharField(max_length=200, verbose_name='what')),
                ('due', models.DateField(verbose_name='by when')),
                ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', max_length=12, verbose_name='status')),
                ('outcome', models.TextField(blank=True, max_length=4000, verbose_name='what came of it')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed on')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patrols.area', verbose_name='where')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='accounts.department', verbose_name='department')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='accounts.organisation', verbose_name='partner organisation')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='partners.assessment', verbose_name='agreed for')),
            ],
            options={
                'verbose_name': 'action',
                'verbose_name_plural': 'actions',
                'ordering': ['due', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000, verbose_name='comment')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='partners.assessment', verbose_name='assessment')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation')),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='written by')),
            ],
            options={
                'verbose_name': 'comment on an assessment',
                'verbose_name_plural': 'comments on assessments',
                'ordering': ['assessment', 'created_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('updated_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('updated_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='partners_assessment_updated_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('first__gte', datetime.date(1970, 1, 1)), ('first__lt', datetime.date(2100, 1, 1))), name='partners_assessment_first_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(fields=('kind', 'first'), name='assessment_once_per_period'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('first__iso_week_day', 1), ('kind', 'week')), models.Q(('first__day', 1), ('kind', 'month')), models.Q(('first__day', 1), ('first__month__in', [1, 5, 9]), ('kind', 'tertial')), _connector='OR'), name='assessment_starts_its_period'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('closed_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('closed_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='partners_action_closed_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('created_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='partners_action_created_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('updated_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('updated_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='partners_action_updated_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('due__gte', datetime.date(1970, 1, 1)), ('due__lt', datetime.date(2100, 1, 1))), name='partners_action_due_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('organisation__isnull', True), ('department__isnull', True), _connector='OR'), name='action_one_owner'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', False), ('status__in', ('done', 'dropped'))), models.Q(models.Q(('status__in', ('done', 'dropped')), _negated=True), ('closed_at__isnull', True)), _connector='OR'), name='action_closed_when_done_or_dropped'),
        ),
        migrations.AddConstraint(
            model_name='assessmentcomment',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__gte', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('created_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='partners_assessmentcomment_created_at_readable', violation_error_message='The time is outside the years 1970–2099.'),
        ),
    ]
