from django.db import migrations

from trygghet.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """The chief writes the EST group's assessments and actions; partners comment on them."""

    dependencies = [
        ('accounts', '0009_provider_group_organisation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'permissions': [('use_web', 'Can use the web pages'), ('plan_patrols', 'Can plan areas, assignments and shifts'), ('view_patrols', 'Can see areas, assignments and shifts'), ('work_shifts', 'Can work shifts and log in the field'), ('manage_incidents', 'Can edit and follow up all incidents'), ('view_incidents', 'Can see incidents without personal data'), ('view_personal_data', 'Can see personal data'), ('manage_properties', 'Can edit the property register'), ('view_properties', 'Can see the property register, checks and deviations'), ('follow_up_deviations', "Can follow up the own department's deviations"), ('dispatch', 'Can create and dispatch requests'), ('view_lagesbild', 'Can see the situational picture'), ('edit_public_texts', 'Can edit the texts of the public page'), ('view_audit_trail', 'Can read the audit trail and the retention log'), ('place_legal_hold', 'Can keep a record from retention under a legal hold'), ('write_assessments', "Can write the EST group's assessments and actions"), ('comment_assessments', "Can comment on the EST group's assessments for the own organisation")], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
