"""A department's follow-up of something the hosts found: a short, fixed path (open →
acknowledged → resolved with a note), each step a row (who, when, note) and the record pointing
at where it is now, overdue when not resolved in time. Building deviations and street-issue
tasks are followed up alike; each app declares its record and step models from these abstract
ones, with its own constraints' names, and moves them along with `follow_up_step`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygghet.core.forms import add_service_errors
from trygghet.core.parameters import RefusesUnknownParameters
from trygghet.core.parsing import LONG_TEXT, readable_moments

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FollowUpState(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    ACKNOWLEDGED = "acknowledged", gettext_lazy("Acknowledged")
    RESOLVED = "resolved", gettext_lazy("Resolved")


# The follow-up path: from each state, the one step allowed ("": how a follow-up starts).
TRANSITIONS: dict[str, str] = {
    "": FollowUpState.OPEN,
    FollowUpState.OPEN: FollowUpState.ACKNOWLEDGED,
    FollowUpState.ACKNOWLEDGED: FollowUpState.RESOLVED,
}


def overdue_cutoff(now: datetime | None = None) -> datetime:
    """What was found before this moment and is not resolved is overdue."""
    return (now or timezone.now()) - timedelta(days=settings.DEVIATION_OVERDUE_DAYS)


class FollowedUpQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(state=FollowUpState.RESOLVED)

    def overdue(self, now: datetime | None = None):
        return self.unresolved().filter(found_at__lt=overdue_cutoff(now))


class FollowedUp(models.Model):
    """Something a department follows up: when it was found, where its follow-up is and when
    the department was told. (The derived values are methods: a subclass may have a field
    named `property`, which hides the built-in decorator inside its class body.)"""

    found_at = models.DateTimeField(gettext_lazy("found at"))
    state = models.CharField(
        gettext_lazy("state"), max_length=12, choices=FollowUpState, default=FollowUpState.OPEN
    )
    resolved_at = models.DateTimeField(gettext_lazy("resolved at"), null=True, blank=True)
    notified_at = models.DateTimeField(
        gettext_lazy("owner notified at"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "When the e-mail to the contact was sent; empty if it could not be sent."
        ),
    )

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def is_overdue(self) -> bool:
        return self.state != FollowUpState.RESOLVED and self.found_at < overdue_cutoff()

    def next_state(self) -> str | None:
        return TRANSITIONS.get(self.state)


def followed_up_constraints(name: str) -> list[models.BaseConstraint]:
    """The record's rules, its constraints named after `name`: readable times, a known state,
    and a resolution time exactly when resolved."""
    return [
        *readable_moments("found_at", "resolved_at", "notified_at"),
        models.CheckConstraint(
            condition=Q(state__in=FollowUpState.values), name=f"{name}_state_valid"
        ),
        models.CheckConstraint(
            condition=Q(state=FollowUpState.RESOLVED, resolved_at__isnull=False)
            | (~Q(state=FollowUpState.RESOLVED) & Q(resolved_at__isnull=True)),
            name=f"{name}_resolved_at_with_state",
        ),
    ]


class FollowUpStep(models.Model):
    """One step of a follow-up, with who took it and when. Append-only; the subclass adds the
    foreign key to its record."""

    from_state = models.CharField(
        gettext_lazy("from"), max_length=12, choices=FollowUpState, blank=True
    )
    state = models.CharField(gettext_lazy("to"), max_length=12, choices=FollowUpState)
    at = models.DateTimeField(gettext_lazy("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(gettext_lazy("note"), max_length=LONG_TEXT, blank=True)

    # The subclass's foreign key to its record.
    record_field = ""

    class Meta:
        abstract = True

    def has_note(self) -> bool:
        """Whether the step shows words someone wrote (not none, not what retention left)."""
        return self.note not in ("", CLEARED_NOTE)


def step_constraints(name: str, record: str) -> list[models.BaseConstraint]:
    """The steps' rules, named after `name`: only the steps of the path, each at most once per
    record (the foreign key `record`), and resolving with a note."""
    return [
        *readable_moments("at"),
        models.CheckConstraint(
            condition=Q(
                *(Q(from_state=source, state=to) for source, to in TRANSITIONS.items()),
                _connector=Q.OR,
            ),
            name=f"{name}_step_allowed",
        ),
        models.UniqueConstraint(fields=[record, "state"], name=f"{name}_step_once"),
        models.CheckConstraint(
            condition=~Q(state=FollowUpState.RESOLVED) | ~Q(note=""),
            name=f"{name}_resolved_with_note",
        ),
    ]


# What retention leaves of a resolved step's note: the database wants one there
# (step_constraints), and a dash says words were written and are gone.
CLEARED_NOTE = "–"


def step_notes(steps: QuerySet) -> QuerySet:
    """The steps of `steps` whose note retention has not cleared yet."""
    return steps.exclude(note="").exclude(note=CLEARED_NOTE)


def clear_step_notes(steps: QuerySet) -> int:
    """Clear the notes of `steps` (retention): emptied, a resolved step's set to CLEARED_NOTE."""
    return steps.update(
        note=Case(When(state=FollowUpState.RESOLVED, then=Value(CLEARED_NOTE)), default=Value(""))
    )


def follow_up_start(*, record: FollowedUp, steps: type[FollowUpStep], by: Any) -> None:
    """The first step of a new record's follow-up."""
    steps._default_manager.create(
        **{steps.record_field: record},
        from_state="",
        state=FollowUpState.OPEN,
        at=record.found_at,
        by=by,
    )


R = TypeVar("R", bound=FollowedUp)


def follow_up_step(
    *,
    record: R,
    steps: type[FollowUpStep],
    to: str,
    by: Any,
    note: str = "",
    already: StrOrPromise,
    cannot: StrOrPromise,
) -> R:
    """Take the record one step along open → acknowledged → resolved, recording who and when.
    Resolving needs a note. The row is locked, so two people clicking at once make one step
    and the other gets a clear message: `already` ("… is already {state}.") or `cannot` ("… that
    is {current} cannot become {target}.")."""
    note = note.strip()
    if to not in FollowUpState.values:
        raise ValidationError({"state": _("Unknown state.")}, code="unknown_state")
    if to == FollowUpState.RESOLVED and not note:
        raise ValidationError(
            {"note": _("Write what was done before you mark it resolved.")}, code="note_required"
        )
    model = type(record)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=record.pk)
        if TRANSITIONS.get(locked.state) != to:
            current = FollowUpState(locked.state).label.lower()
            target = FollowUpState(to).label.lower()
            message = (
                str(already).format(state=current)
                if locked.state == to
                else str(cannot).format(current=current, target=target)
            )
            raise ValidationError({"state": message}, code="transition")
        now = timezone.now()
        steps._default_manager.create(
            **{steps.record_field: locked},
            from_state=locked.state,
            state=to,
            at=now,
            by=by,
            note=note,
        )
        record.state = to
        record.resolved_at = now if to == FollowUpState.RESOLVED else None
        model._default_manager.filter(pk=record.pk).update(
            state=record.state, resolved_at=record.resolved_at
        )
    return record


class FollowUpStepForm(forms.Form):
    """The next step of a follow-up, as the record's page offers it."""

    state = forms.ChoiceField(choices=FollowUpState.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=LONG_TEXT,
        label=gettext_lazy("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed to mark it resolved."),
    )


def step_form_for(record: FollowedUp, *, may_follow_up: bool) -> FollowUpStepForm | None:
    """The form of the step left to take, for those who may take it."""
    next_state = record.next_state()
    if not next_state or not may_follow_up:
        return None
    return FollowUpStepForm(initial={"state": next_state})


def take_step(
    request: HttpRequest,
    record: FollowedUp,
    *,
    transition: Callable[..., FollowedUp],
    page: Callable[..., HttpResponse],
    done: StrOrPromise,
) -> HttpResponse:
    """A posted step: taken (then back to the record with `done`, formatted with the new
    state), or the record's page again with why not. `page(form=…, status=…, errors=…)` renders
    the record's page."""
    form = FollowUpStepForm(request.POST)
    if form.is_valid():
        try:
            transition(
                to=form.cleaned_data["state"], by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if "note" not in error.message_dict:
                # Someone else took the step first, or it is not the next one: show the record
                # as it is now, with the step that is left.
                return page(status=400, errors=error.messages)
            add_service_errors(form, error)
        else:
            state = FollowUpState(record.state).label.lower()
            messages.success(request, str(done).format(state=state))
            return redirect(record)
    return page(form=form, status=400)


class FollowUpFilterForm(RefusesUnknownParameters, forms.Form):
    """A list of followed-up records: the unresolved by default, one state, or all; only the
    overdue; one department, for those who see several (`departments`, else None).
    `department_path` leads from the record to its department."""

    UNRESOLVED = "unresolved"
    department_path = "department"

    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[
            (UNRESOLVED, gettext_lazy("Not resolved")),
            *FollowUpState.choices,
            ("all", gettext_lazy("All")),
        ],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)

    def __init__(self, *args, departments: QuerySet | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"] = forms.ModelChoiceField(
                label=gettext_lazy("Department"),
                queryset=departments,
                required=False,
                empty_label=gettext_lazy("All departments"),
            )

    def filter(self, queryset: FollowedUpQuerySet) -> FollowedUpQuerySet:
        state = self.cleaned_data.get("state") or self.UNRESOLVED
        if state == self.UNRESOLVED:
            queryset = queryset.unresolved()
        elif state in FollowUpState.values:
            queryset = queryset.filter(state=state)
        if self.cleaned_data.get("overdue"):
            queryset = queryset.overdue()
        if self.cleaned_data.get("department"):
            queryset = queryset.filter(**{self.department_path: self.cleaned_data["department"]})
        return queryset
