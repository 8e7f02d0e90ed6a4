"""Retry-safe creation. A phone on a bad connection may send the same submission twice; the form
and the API carry a client-generated key (a UUID) that a unique constraint on the model's
`client_key` column holds, so the second request returns the first result instead of a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from trygghet.core.parsing import MomentField

M = TypeVar("M", bound=models.Model)


def create_once(
    model: type[M],
    *,
    client_key: uuid.UUID | None,
    create: Callable[[], M],
    owner_field: str,
    owner,
) -> tuple[M, bool]:
    """Run `create` (which saves an object carrying `client_key`) unless an object with that key
    exists; return (object, created). The existing object must belong to the same `owner`
    (compared on `owner_field`), so a key cannot be used to read another's submission."""
    if client_key is not None:
        existing = model._default_manager.filter(client_key=client_key).first()
        if existing is not None:
            return _same_owner(existing, owner_field, owner), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # Two copies of the same submission raced; the other one won.
        if client_key is None:
            raise
        existing = model._default_manager.filter(client_key=client_key).first()
        if existing is None:
            raise
        return _same_owner(existing, owner_field, owner), False


def _same_owner(obj: M, owner_field: str, owner) -> M:
    if getattr(obj, f"{owner_field}_id") != owner.pk:
        raise PermissionDenied
    return obj


class ClientKeyField(forms.UUIDField):
    """A hidden field holding a new UUID each time the form is shown; a resent POST repeats it.
    Required: a submission without a key could not be told from its own resend."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("This form is missing its sending key. Reload the page and send it again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


class HappenedAtField(MomentField):
    """When the host pressed Save, for a submission that waited on the phone (offline) and is
    sent later. Empty when the form is posted at once: then it happened now. The service checks
    it lies within the shift (`Shift.check_moment`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
