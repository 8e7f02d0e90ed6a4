"""What people and programs type, read in one place: days, moments and free text.

Every page, form, API filter and the stats read their dates through this module, so each is
bounded to what the product can mean: a day from 1 January 2000 up to a year ahead of today. A
date outside is refused with a message naming the field, before any arithmetic on it (a night
after 31 December 9999 does not exist, and 1 January year 1 in local time is a year BC in UTC).

The database refuses what this module would never let through (`readable_moments()`): every
event time lies between STORED_FROM and STORED_UNTIL, so no path (form, API, admin, shell, an
import) stores a time the application cannot read back.

Local wall-clock times, as forms and phones send them, become instants by one rule
(`resolve_local`):
- a time that does not exist (02:00–03:00 on the night the clocks go forward) moves forward by
  the gap: 02:30 is 03:30 summer time;
- a time that happens twice (02:00–03:00 on the night the clocks go back) is the later of the two
  instants (winter time) unless that is still in the future, then the earlier (summer time). So
  the time a form fills in itself is always the moment it was filled in, in both hours.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import BaseConstraint, CheckConstraint, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from trygghet.core.time import local_tz

EARLIEST_DAY = date(2000, 1, 1)
# Shifts and assignments are planned ahead, never more than a year.
DAYS_AHEAD = 366

# What the database accepts. Wider than what may be typed (the first local day begins on the UTC
# day before), and well inside what PostgreSQL and Python both read back.
STORED_FROM = datetime(1970, 1, 1, tzinfo=UTC)
STORED_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)

# Free text: a description or note fits a page; a place, a name or a reference a line.
LONG_TEXT = 4000
SHORT_TEXT = 200


def latest_day() -> date:
    return timezone.localdate() + timedelta(days=DAYS_AHEAD)


def _out_of_range() -> ValidationError:
    return ValidationError(
        _("Choose a date from {first} to {last}.").format(
            first=date_format(EARLIEST_DAY, "j F Y"), last=date_format(latest_day(), "j F Y")
        ),
        code="out_of_range",
    )


def check_day(day: date) -> date:
    """The day, if the product can mean it; else a ValidationError."""
    if not EARLIEST_DAY <= day <= latest_day():
        raise _out_of_range()
    return day


def parse_day(text: str) -> date:
    """A date like 2026-11-27, within the bounds."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            _("Use a date like {example}.").format(example="2026-11-27"), code="invalid"
        ) from None
    return check_day(day)


# What an example date looks like in any layout: a day above 12, so day and month cannot be mixed up.
EXAMPLE_DAY = date(2026, 11, 27)


def parse_day_as(text: str, pattern: str) -> date:
    """A date written the way a file writes it (a strptime pattern such as "%d/%m/%Y"), within
    the bounds."""
    try:
        day = datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 (a day, no time)
    except ValueError:
        raise ValidationError(
            _("Use a date like {example}.").format(example=EXAMPLE_DAY.strftime(pattern)),
            code="invalid",
        ) from None
    return check_day(day)


ISO_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")


def parse_week(text: str) -> date:
    """An ISO 8601 week like 2026-W47 (or 2026-W7), as the date of its Monday, within the
    bounds."""
    match = ISO_WEEK.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValidationError(
            _("Use a week like {example}.").format(example="2026-W47"), code="invalid"
        ) from None
    return check_day(monday)


def resolve_local(moment: datetime, *, now: datetime | None = None) -> datetime:
    """An instant (UTC) for a moment within the bounds: an aware one as it is, a naive one as
    local wall-clock time by the rule in this module's docstring."""
    check_day(moment.date())
    if timezone.is_aware(moment):
        return moment.astimezone(UTC)
    earlier = moment.replace(tzinfo=local_tz(), fold=0).astimezone(UTC)
    later = moment.replace(tzinfo=local_tz(), fold=1).astimezone(UTC)
    if later <= earlier:
        # Not ambiguous; for a time in the spring gap, fold=0 uses the offset before the change,
        # which lands after the gap.
        return earlier
    skew = timedelta(minutes=settings.INCIDENT_CLOCK_SKEW_MINUTES)
    return later if later <= (now or timezone.now()) + skew else earlier


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time (local time without an offset), within the bounds, in UTC."""
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            _("Use a time like {example}.").format(example="2026-11-27T21:30"), code="invalid"
        )
    return resolve_local(moment)


class BadQuery(BadRequest):
    """A page's query parameter that cannot be read: a 400 page that says which and why."""


def query_day(params: QueryDict, name: str) -> date | None:
    """The date a page's parameter names (from request.GET or POST), or None when it names none."""
    text = params.get(name)
    if not text:
        return None
    try:
        return parse_day(text)
    except ValidationError as error:
        raise BadQuery(f"{name}: {' '.join(error.messages)}") from None


# --- Form fields and filters


class DayField(forms.DateField):
    """A date within the bounds."""

    def to_python(self, value):
        day = super().to_python(value)
        return None if day is None else check_day(day)


class MomentField(forms.DateTimeField):
    """A date and time within the bounds; local time resolved by the module's rule, so the
    repeated hour of the autumn night is a time like any other."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return resolve_local(value)
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if moment is None:
            # The field's input formats, as Django reads them, but without its own time zone
            # step, which refuses the repeated hour.
            moment = forms.fields.BaseTemporalField.to_python(self, value)
        return resolve_local(moment)


class DayFilter(filters.DateFilter):
    field_class = DayField


class MomentFilter(filters.DateTimeFilter):
    field_class = MomentField


# --- Serializer fields


def _as_serializer_error(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages)


class DaySerializerField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return check_day(day)
        except ValidationError as error:
            raise _as_serializer_error(error) from None


class MomentSerializerField(serializers.DateTimeField):
    def enforce_timezone(self, value):
        try:
            return resolve_local(value)
        except ValidationError as error:
            raise _as_serializer_error(error) from None


# --- Database


def _readable(fields: tuple[str, ...], first: date, until: date) -> list[BaseConstraint]:
    return [
        CheckConstraint(
            condition=Q(**{f"{field}__gte": first, f"{field}__lt": until}),
            name=f"%(app_label)s_%(class)s_{field}_readable",
            violation_error_message=gettext_lazy("The time is outside the years 1970–2099."),
        )
        for field in fields
    ]


def readable_moments(*fields: str) -> list[BaseConstraint]:
    """CHECK constraints that keep each time field between STORED_FROM and STORED_UNTIL. For a
    Meta.constraints list; a NULL passes."""
    return _readable(fields, STORED_FROM, STORED_UNTIL)


def readable_days(*fields: str) -> list[BaseConstraint]:
    """The same for date fields."""
    return _readable(fields, STORED_FROM.date(), STORED_UNTIL.date())
