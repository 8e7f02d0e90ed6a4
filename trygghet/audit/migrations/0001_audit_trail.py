import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# The trail is append-only in the database itself: UPDATE is always refused, DELETE only inside
# the retention step's transaction (it sets trygghet_audit.retention with set_config(..., true))
# and then only for rows older than the trail's floor (RETENTION_AUDIT_DAYS may not go below it).
APPEND_ONLY = """
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('trygghet_audit.retention', true) = 'on'
       AND OLD.at < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_read_append_only BEFORE UPDATE OR DELETE ON audit_read
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_tokenuse_append_only BEFORE UPDATE OR DELETE ON audit_tokenuse
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER audit_tokenuse_append_only ON audit_tokenuse;
DROP TRIGGER audit_read_append_only ON audit_read;
DROP FUNCTION audit_append_only();
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_sync_role_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TokenUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                ('method', models.CharField(max_length=10, verbose_name='method')),
                ('path', models.CharField(max_length=500, verbose_name='path')),
                ('status', models.PositiveSmallIntegerField(verbose_name='status')),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='from address')),
                ('token', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.apitoken', verbose_name='API token')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'use of an API token',
                'verbose_name_plural': 'uses of API tokens',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Read',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                ('subject_type', models.CharField(max_length=100, verbose_name='record type')),
                ('subject_id', models.BigIntegerField(blank=True, null=True, verbose_name='record')),
                ('what', models.CharField(max_length=200, verbose_name='what')),
                ('filters', models.JSONField(blank=True, default=dict, verbose_name='filter')),
                ('rows', models.PositiveIntegerField(blank=True, null=True, verbose_name='rows shown')),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='from address')),
                ('reason', models.CharField(blank=True, choices=[('follow_up', 'Follow-up of the case'), ('police_request', 'Request from the police or another authority'), ('resident_request', "The resident's own request (register extract)"), ('complaint', 'Complaint or correction'), ('planning', 'Planning or handover between shifts'), ('other', 'Other (described below)')], max_length=20, verbose_name='reason')),
                ('reason_note', models.CharField(blank=True, max_length=500, verbose_name='reason, in words')),
                ('token', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.apitoken', verbose_name='API token')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'read of personal data',
                'verbose_name_plural': 'reads of personal data',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id', 'at'], name='audit_read_subject_91cd3f_idx'), models.Index(fields=['user', 'at'], name='audit_read_user_id_802653_idx')],
            },
        ),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
