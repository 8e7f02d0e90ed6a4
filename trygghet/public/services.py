"""Writes of the public page: the chief's wording of its sections."""

from __future__ import annotations

from typing import Any

from trygghet.accounts.models import User
from trygghet.core.rows import save_row
from trygghet.public.models import PublicText


def public_text_save(*, key: str, by: User, **fields: Any) -> PublicText:
    """The chief's own wording of one section, shown on the public page from now on."""
    text = PublicText.objects.filter(key=key).first() or PublicText(key=key)
    return save_row(text, {**fields, "updated_by": by})


def public_text_reset(*, key: str) -> None:
    """Show the section's default wording again."""
    PublicText.objects.filter(key=key).delete()
