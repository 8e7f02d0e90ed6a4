"""Every write of the properties app: checks (with their deviations), the follow-up of a
deviation and the register import. Pages, the API and the admin call these."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from patrols.selectors import active_shift_for
from properties.importing import ImportPreview
from properties.models import (
    ActionTaken,
    Deviation,
    DeviationPhoto,
    DeviationState,
    DeviationStep,
    Property,
    PropertyCheck,
)
from properties.tasks import deviation_email
from trygghet.accounts.models import User
from trygghet.core.follow_up import follow_up_step
from trygghet.core.idempotency import create_once
from trygghet.core.rows import save_row


def property_save(*, property: Property, **fields: Any) -> Property:
    """A building in the register, new or changed: one row, held to its model's rules."""
    return save_row(property, fields)


def _checked_results(property: Property, results: Mapping[str, bool]) -> dict[str, bool]:
    """The answers in the order of the building's checklist; every item answered, no others."""
    expected = property.checklist
    unknown = set(results) - set(expected)
    missing = [item for item in expected if item not in results]
    if unknown:
        raise ValidationError(
            _("{items} is not on the checklist of {name}.").format(
                items=", ".join(sorted(unknown)), name=property.name
            ),
            code="unknown_item",
        )
    if missing:
        raise ValidationError(_("Answer every item on the checklist."), code="missing_item")
    return {item: bool(results[item]) for item in expected}


def property_check_create(
    *,
    property: Property,
    by: User,
    results: Mapping[str, bool],
    description: str = "",
    actions: Sequence[str] = (),
    action_note: str = "",
    photos: Sequence[File] = (),
    client_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> tuple[PropertyCheck, bool]:
    """Record a host's check on their running shift; returns (check, created).

    Any item not in order makes a deviation with what the host found and did, and the
    building's contact gets an e-mail once the check is saved. Sending the same submission
    again (same client_key) returns the first check and sends nothing. `at` is when the host
    saved it, for a check that waited on an offline phone; it must lie within the shift.
    """
    shift = active_shift_for(by)
    if shift is None:
        raise ValidationError(
            _("Start your shift before you check buildings."), code="no_active_shift"
        )
    if at is not None:
        shift.check_moment(at)
    if not property.active:
        raise ValidationError(_("This building is no longer in the register."), code="inactive")
    answers = _checked_results(property, results)
    failed = [item for item, passed in answers.items() if not passed]
    if failed and not actions:
        raise ValidationError(
            {"actions": _("Say what you did about it (or that you only report it).")},
            code="actions_required",
        )
    unknown_actions = set(actions) - set(ActionTaken.values)
    if unknown_actions:
        raise ValidationError(
            {"actions": _("Unknown action: {actions}.").format(actions=", ".join(unknown_actions))}
        )

    def create() -> PropertyCheck:
        now = at or timezone.now()
        check = PropertyCheck.objects.create(
            property=property,
            shift=shift,
            checked_by=by,
            checked_at=now,
            results=answers,
            ok=not failed,
            client_key=client_key,
        )
        if failed:
            deviation = Deviation.objects.create(
                property_check=check,
                property=property,
                found_at=now,
                items=failed,
                description=description.strip(),
                actions=list(dict.fromkeys(actions)),
                action_note=action_note.strip(),
            )
            DeviationStep.objects.create(
                deviation=deviation, from_state="", state=DeviationState.OPEN, at=now, by=by
            )
            for photo in photos:
                DeviationPhoto.objects.create(deviation=deviation, image=photo)
            # The e-mail's job is written in the check's own transaction: it exists exactly
            # when the deviation does, and the worker sends it after the commit, so neither a
            # hung mail server nor one that fails holds up or undoes the host's check.
            deviation_email.defer(deviation_id=deviation.pk)
        return check

    return create_once(
        PropertyCheck, client_key=client_key, create=create, owner_field="checked_by", owner=by
    )


def deviation_transition(*, deviation: Deviation, to: str, by: User, note: str = "") -> Deviation:
    """Take the deviation one step along open → acknowledged → resolved (with a note), as every
    follow-up is taken (trygghet.core.follow_up)."""
    return follow_up_step(
        record=deviation,
        steps=DeviationStep,
        to=to,
        by=by,
        note=note,
        already=_("The deviation is already {state}."),
        cannot=_("A deviation that is {current} cannot become {target}."),
    )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def property_import(*, preview: ImportPreview) -> ImportResult:
    """Write a checked register file: new names become buildings, known names (in any case) are
    updated with the columns the file has. All or nothing: one transaction, and a file with any
    bad row is refused whole."""
    if not preview.is_valid:
        raise ValidationError(_("The file has errors; nothing was imported."), code="invalid")
    names = [row.values["name"].lower() for row in preview.rows]
    created = updated = 0
    with transaction.atomic():
        existing = {
            building.name.lower(): building
            for building in Property.objects.select_for_update()
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__in=names)
        }
        for row in preview.rows:
            building = existing.get(row.values["name"].lower())
            if building is None:
                Property.objects.create(**row.values)
                created += 1
            else:
                for field, value in row.values.items():
                    setattr(building, field, value)
                building.save()
                updated += 1
    return ImportResult(created=created, updated=updated)
