from django.db import migrations, models


class Migration(migrations.Migration):
    """A building's position becomes the same type as every other position: `lat`/`lon` floats
    become `latitude`/`longitude` decimals with six places. The columns are renamed and
    converted in place (PostgreSQL casts each value), so every building keeps its position. The
    range check is dropped first and made again on the new names, as the model states it."""

    dependencies = [
        ("properties", "0001_property_register_checks_deviations"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="property", name="property_position_in_range"),
        migrations.RenameField(model_name="property", old_name="lat", new_name="latitude"),
        migrations.RenameField(model_name="property", old_name="lon", new_name="longitude"),
        migrations.AlterField(
            model_name="property",
            name="latitude",
            field=models.DecimalField(decimal_places=6, max_digits=8, verbose_name="latitude"),
        ),
        migrations.AlterField(
            model_name="property",
            name="longitude",
            field=models.DecimalField(decimal_places=6, max_digits=9, verbose_name="longitude"),
        ),
        migrations.AddConstraint(
            model_name="property",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="property_position_in_range",
            ),
        ),
    ]
