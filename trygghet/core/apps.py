from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "trygghet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db import models
        from django.db.models.signals import post_migrate
        from rest_framework.serializers import ModelSerializer

        from trygghet.core.cache import create_cache_tables
        from trygghet.core.parsing import DaySerializerField, MomentSerializerField

        post_migrate.connect(create_cache_tables, dispatch_uid="trygghet.core.cache")

        # Every model serializer reads its dates and times through the one parser, with its
        # bounds and its rule for local time, as the hand-written fields do.
        ModelSerializer.serializer_field_mapping[models.DateTimeField] = MomentSerializerField
        ModelSerializer.serializer_field_mapping[models.DateField] = DaySerializerField
