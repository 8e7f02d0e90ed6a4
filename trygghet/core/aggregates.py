"""SQL pieces for the lägesbild's figures, shared by the apps that count: the operational night
of a moment, the EST periods it falls in (week, month, tertial), medians and minutes.

Every period is made of operational nights (noon to noon, local time): an incident at 01:00 on
a Saturday is Friday night's, and so in Friday's week and month. Buckets are computed from the
night's date, so a night is never split between two weeks and the clock changes need no care
beyond the night itself, which takes the local wall-clock time before subtracting the hours.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db.models import (
    Aggregate,
    DateField,
    DurationField,
    Expression,
    Func,
    IntegerField,
    Value,
)
from django.utils.translation import gettext_lazy as _

from trygghet.core.time import NIGHT_STARTS_AT


class OperationalNight(Func):
    """The operational night (noon to noon, local time) a timestamp belongs to, in SQL: the
    local wall-clock time moved back to midnight's place, then its date."""

    template = f"(timezone(%(expressions)s) - interval '{NIGHT_STARTS_AT.hour} hours')::date"
    output_field = DateField()

    def __init__(self, expression, **extra):
        super().__init__(Value(settings.TIME_ZONE), expression, **extra)


class Bucket(StrEnum):
    """How figures are grouped over time. EST reports by week (Monday–Sunday), month and
    tertial (January–April, May–August, September–December)."""

    NIGHT = "night"
    WEEK = "week"
    MONTH = "month"
    TERTIAL = "tertial"

    @property
    def label(self) -> str:
        return str(BUCKET_LABELS[self])


BUCKET_LABELS = {
    Bucket.NIGHT: _("Operational night"),
    Bucket.WEEK: _("Week"),
    Bucket.MONTH: _("Month"),
    Bucket.TERTIAL: _("Tertial"),
}


class BucketStart(Func):
    """The first night of the bucket a night (a date) falls in. The date is cast to a timestamp
    without time zone, so date_trunc works on the calendar and never on the session's zone."""

    output_field = DateField()

    TEMPLATES = {
        Bucket.NIGHT: "%(expressions)s",
        Bucket.WEEK: "date_trunc('week', (%(expressions)s)::timestamp)::date",
        Bucket.MONTH: "date_trunc('month', (%(expressions)s)::timestamp)::date",
        Bucket.TERTIAL: (
            "make_date(extract(year FROM %(expressions)s)::int, "
            "((extract(month FROM %(expressions)s)::int - 1) / 4) * 4 + 1, 1)"
        ),
    }

    def __init__(self, night: Expression, bucket: Bucket, **extra):
        super().__init__(night, template=self.TEMPLATES[Bucket(bucket)], **extra)


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5); on intervals it gives an interval."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


class Minutes(Func):
    """Whole minutes from one moment to another (NULL when either is missing)."""

    template = "round(extract(epoch FROM (%(expressions)s)) / 60)::int"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, start, end, **extra):
        # The expressions are joined as "end - start".
        super().__init__(end, start, **extra)
