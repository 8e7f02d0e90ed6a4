"""Saving a plain row: for the apps' services whose whole rule is the model's own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def save_row(row: M, fields: Mapping[str, Any]) -> M:
    """Set the row's fields, hold it to its model's rules (a ValidationError when it breaks
    one) and save it."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
