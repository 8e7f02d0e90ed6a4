"""SQL pieces for the lägesbild's figures, shared by the apps that count: the operational night
of a moment, the EST periods it falls in (week, month, tertial), medians and minutes.

Every period is made of operational nights (noon to noon, local time): an incident at 01:00 on
a Saturday is Friday night's, and so in Friday's week and month. Buckets are computed from the
night's date, so a night is never split between two weeks and the clock changes need no care
beyond the night itself, which takes the local wall-clock time before subtracting the hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    DateField,
    DurationField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.utils.translation import gettext_lazy as _

from trygghet.core.time import NIGHT_STARTS_AT, night_bounds

if TYPE_CHECKING:
    from trygghet.core.periods import Nights


AGGREGATE_WORK_MEM = "64MB"


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
        Bucket.NIGHT: "{night}",
        Bucket.WEEK: "date_trunc('week', ({night})::timestamp)::date",
        Bucket.MONTH: "date_trunc('month', ({night})::timestamp)::date",
        Bucket.TERTIAL: (
            "make_date(extract(year FROM {night})::int, "
            "((extract(month FROM {night})::int - 1) / 4) * 4 + 1, 1)"
        ),
    }

    def __init__(self, night: Expression, bucket: Bucket, **extra):
        super().__init__(night, **extra)
        self.bucket = Bucket(bucket)

    def as_sql(self, compiler, connection, **extra_context):
        night, params = compiler.compile(self.source_expressions[0])
        template = self.TEMPLATES[self.bucket]
        # The night's SQL may appear twice, and its parameters with it.
        return template.format(night=night), tuple(params) * template.count("{night}")


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5); on intervals it gives an interval."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


class Minutes(Func):
    """Whole minutes from one moment to another (NULL when either is missing); `exact` keeps
    the fraction, for medians."""

    arg_joiner = " - "

    def __init__(self, start, end, *, exact: bool = False, **extra):
        # The expressions are joined as "end - start".
        if exact:
            extra.update(
                template="(extract(epoch FROM (%(expressions)s)) / 60)::float8",
                output_field=FloatField(),
            )
        else:
            extra.update(
                template="round(extract(epoch FROM (%(expressions)s)) / 60)::int",
                output_field=IntegerField(),
            )
        super().__init__(end, start, **extra)


@dataclass(frozen=True)
class Dimension:
    """Something figures are grouped by: model fields (their ids come out under the field's
    name) and named expressions beside them, such as the area's name."""

    fields: tuple[str, ...] = ()
    expressions: dict[str, Expression] = field(default_factory=dict)


def grouped(
    rows: QuerySet,
    *,
    moment: str,
    first: date,
    last: date,
    bucket: Bucket | None,
    dimensions: Sequence[Dimension],
    **aggregates: Aggregate,
) -> QuerySet:
    """The rows whose `moment` falls in the operational nights first to last, grouped by bucket
    (the first night of each) and the dimensions, with the aggregates: one query, and
    PostgreSQL does the counting."""
    start, end = night_bounds(first)[0], night_bounds(last)[1]
    rows = rows.filter(**{f"{moment}__gte": start, f"{moment}__lt": end}).order_by()
    fields = [name for dimension in dimensions for name in dimension.fields]
    expressions = {
        name: expression
        for dimension in dimensions
        for name, expression in dimension.expressions.items()
    }
    if bucket:
        expressions = {"bucket": BucketStart(OperationalNight(moment), bucket), **expressions}
    return (
        rows.values(*fields, **expressions).annotate(**aggregates).order_by(*expressions, *fields)
    )


def compare_periods(
    rows: QuerySet,
    *,
    moment: str,
    periods: Sequence[Nights],
    fields: dict[str, str],
    dimensions: dict[str, str],
    grouping_sets: Sequence[Sequence[str]],
    aggregates: dict[str, str],
) -> list[dict]:
    """Aggregates of the same rows in several periods at once, grouped in several ways at once:
    one query and one pass over the rows, however many figures a page shows.

    `rows` is the scoped and filtered queryset; `fields` name the columns taken from it
    (lookups), and `moment` the time that places a row in a period. Each period is joined to
    the rows it holds (so overlapping periods each count their rows). `dimensions` are SQL
    expressions over the fields and `period`, `first_night` (the period's first night),
    `local` (the moment's local wall-clock time) and `night` (its operational night); every
    grouping set is grouped by period too. `aggregates` are SQL over the same names.

    Returns one dict per period and group: "period" (index into `periods`), "set" (index into
    `grouping_sets`), the dimensions (None outside the set) and the aggregates.
    """
    if not periods:
        return []
    bounds = [nights.bounds() for nights in periods]
    within = Q()
    for start, end in bounds:
        within |= Q(**{f"{moment}__gte": start, f"{moment}__lt": end})
    base = (
        rows.filter(within)
        .order_by()
        .values(moment_at=F(moment), **{name: F(lookup) for name, lookup in fields.items()})
    )
    base_sql, base_params = base.query.sql_with_params()
    names = list(dimensions)
    values = ", ".join("(%s, %s::timestamptz, %s::timestamptz, %s::date)" for _period in periods)
    values_params = [
        part
        for index, ((start, end), nights) in enumerate(zip(bounds, periods, strict=True))
        for part in (index, start, end, nights.first)
    ]
    sets = ", ".join("({})".format(", ".join(["period", *grouping])) for grouping in grouping_sets)
    selected = ", ".join([*(f"{sql} AS {name}" for name, sql in dimensions.items())])
    # Each row's local time, night and dimensions are computed once, below the grouping: the
    # OFFSET 0 keeps PostgreSQL from folding them into every grouping key again.
    sql = f"""
        WITH base AS ({base_sql}),
        periods (period, start_at, end_at, first_night) AS (VALUES {values})
        SELECT period, GROUPING({", ".join(names) or "period"}) AS grouping_id,
               {"".join(f"{name}, " for name in names)}
               {", ".join(f"{sql} AS {name}" for name, sql in aggregates.items())}
        FROM (
            SELECT nights.*{", " + selected if selected else ""}
            FROM (
                SELECT periods.period, periods.first_night, base.*, local,
                       (local - interval '{NIGHT_STARTS_AT.hour} hours')::date AS night
                FROM base
                JOIN periods
                  ON base.moment_at >= periods.start_at AND base.moment_at < periods.end_at
                CROSS JOIN LATERAL (SELECT timezone(%s, base.moment_at) AS local) AS moment
                OFFSET 0
            ) AS nights
            OFFSET 0
        ) AS grouped
        GROUP BY GROUPING SETS ({sets})
    """
    # GROUPING() sets a bit, from the right, for each dimension left out of a row's set.
    masks = {
        sum(
            1 << (len(names) - 1 - i) for i, name in enumerate(names) if name not in grouping
        ): index
        for index, grouping in enumerate(grouping_sets)
    }
    with connection.cursor() as cursor:
        # Grouping a year of rows several ways at once needs room to hash rather than sort on
        # disk. The setting is local to the transaction the two statements share (an implicit
        # one when sent together), so it is planned with and never outlives this query.
        cursor.execute(
            "SELECT set_config('work_mem', %s, true); " + sql,
            [AGGREGATE_WORK_MEM, *base_params, *values_params, settings.TIME_ZONE],
        )
        cursor.nextset()
        columns = [column.name for column in cursor.description]
        results = []
        for row in cursor.fetchall():
            record = dict(zip(columns, row, strict=True))
            record["set"] = masks[record.pop("grouping_id")]
            results.append(record)
    return results
