"""Free text has a length limit wherever it comes in: a 1.9 MB description is no description.
A new form, serializer or model field without one is named here."""

import importlib

from django import forms
from django.apps import apps
from django.db import models
from rest_framework import serializers

APPS = ["incidents", "patrols", "properties", "trygghet.dispatch", "trygghet.public"]
# Not free text: a map's GeoJSON (checked by its own parser), a honeypot that must stay empty,
# and a field only ever written out.
NOT_FREE_TEXT = {"AreaForm.boundary", "ReportForm.website", "PresenceRowSerializer.area_name"}


def _classes(module_name: str, base: type) -> list[type]:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return []
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, base) and value.__module__ == module_name
    ]


def test_every_model_text_field_has_a_length():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"incidents", "patrols", "properties", "dispatch", "public"}
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.max_length is None
        # The history's own bookkeeping, written by its trigger.
        and not field.name.startswith("pgh_")
    ]
    assert missing == []


def test_every_form_text_field_has_a_length():
    missing = [
        f"{form.__name__}.{name}"
        for app in APPS
        for form in _classes(f"{app}.forms", forms.BaseForm)
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField
        and field.max_length is None
        and f"{form.__name__}.{name}" not in NOT_FREE_TEXT
    ]
    assert missing == []


def test_every_serializer_text_field_has_a_length():
    missing = []
    for app in APPS:
        for serializer in _classes(f"{app}.serializers", serializers.Serializer):
            try:
                fields = serializer().fields
            except Exception:  # noqa: BLE001 - a serializer that needs context is read as declared
                fields = serializer._declared_fields
            missing += [
                f"{serializer.__name__}.{name}"
                for name, field in fields.items()
                if type(field) is serializers.CharField
                and not field.read_only
                and field.max_length is None
                and f"{serializer.__name__}.{name}" not in NOT_FREE_TEXT
            ]
    assert missing == []
