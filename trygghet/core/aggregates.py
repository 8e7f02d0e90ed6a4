"""How figures are counted: what a figure measures (`Measure`), one kind of record as the figures
count it (`Counted`, declared by the app that owns the records), and the two ways of counting:
`grouped` (by bucket of nights, for the API) and `compare_periods` (several periods and several
groupings in one query, for the lägesbild).

Every period is made of operational nights (trygghet.core.time): an incident at 01:00 on a
Saturday is Friday night's, and so in Friday's week and month. Buckets are computed from the
night's date, so a night is never split between two weeks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    DateField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import In

from trygghet.core.periods import Bucket, Nights, partial_buckets
from trygghet.core.time import LocalTime, OperationalNight, night_bounds, night_sql

AGGREGATE_WORK_MEM = "64MB"


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
    """PostgreSQL's percentile_cont(0.5): an interval of intervals, a number of numbers."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


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
class Measure:
    """What a figure makes of its rows: how many there are, how many have a value, or the median
    or mean of a value; `where` keeps only the rows it holds for. One declaration serves both
    ways of counting: `aggregate()` for the ORM, `sql()` over compare_periods' rows."""

    kind: Literal["count", "sum", "median", "mean"]
    value: Expression | F | None = None
    where: Q | None = None

    @classmethod
    def count(cls, value: Expression | F | None = None, *, where: Q | None = None) -> Measure:
        return cls("count", value, where)

    @classmethod
    def sum(cls, value: Expression | F) -> Measure:
        """The total of a value: rows that each stand for several records, such as a count."""
        return cls("sum", value)

    @classmethod
    def median(cls, value: Expression | F, *, where: Q | None = None) -> Measure:
        return cls("median", value, where)

    @classmethod
    def mean(cls, value: Expression | F) -> Measure:
        return cls("mean", value)

    def aggregate(self) -> Aggregate:
        function = {"count": Count, "sum": Sum, "median": Median, "mean": Avg}[self.kind]
        return function(self.value if self.value is not None else "pk", filter=self.where)

    def columns(self, name: str) -> dict[str, Expression | F]:
        """What each row carries for this measure, under names derived from `name`."""
        columns: dict[str, Expression | F] = {}
        if self.value is not None:
            columns[f"m_{name}"] = self.value
        if self.where is not None:
            columns[f"w_{name}"] = ExpressionWrapper(self.where, output_field=BooleanField())
        return columns

    def sql(self, name: str) -> str:
        """The aggregate over the row columns of `columns(name)`."""
        value = f"m_{name}" if self.value is not None else "*"
        aggregate = {
            "count": f"count({value})",
            "sum": f"sum({value})",
            "median": f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {value})",
            "mean": f"avg({value})",
        }[self.kind]
        return f"{aggregate} FILTER (WHERE w_{name})" if self.where is not None else aggregate


@dataclass(frozen=True)
class Dimension:
    """Something figures are grouped by: model fields (their ids come out under the field's
    name) and named expressions beside them, such as the area's name."""

    fields: tuple[str, ...] = ()
    expressions: dict[str, Expression | F] = field(default_factory=dict)


@dataclass(frozen=True)
class Counted:
    """One kind of record as the figures count it, declared by the app that owns the records:
    `records(user)` are those the user may count (the list's scope), `moment` places a record
    in an operational night, `filters` name the lookups of what a page may filter by ("area",
    "group"), `values` are what it may be grouped by (expressions over one record) and
    `measures` what is made of the records."""

    records: Callable[[Any], QuerySet]
    moment: str
    measures: Mapping[str, Measure]
    values: Mapping[str, Expression | F] = field(default_factory=dict)
    filters: Mapping[str, str] = field(default_factory=dict)

    def in_nights(self, user, nights: Nights) -> QuerySet:
        start, end = nights.bounds()
        return self.records(user).filter(
            **{f"{self.moment}__gte": start, f"{self.moment}__lt": end}
        )

    def count_by(
        self,
        rows: QuerySet,
        *,
        first: date,
        last: date,
        bucket: Bucket | None,
        dimensions: Sequence[Dimension],
        measures: Sequence[str] | None = None,
    ) -> QuerySet:
        """grouped() over `rows` (some of the user's records), with the measures named (all
        by default)."""
        return grouped(
            rows,
            moment=self.moment,
            first=first,
            last=last,
            bucket=bucket,
            dimensions=dimensions,
            measures=self.measures
            if measures is None
            else {name: self.measures[name] for name in measures},
        )

    def totals(self, user, *names: str) -> dict:
        """Measures over all the user's records, whenever they happened."""
        return self.records(user).aggregate(
            **{name: self.measures[name].aggregate() for name in names}
        )

    def compare(
        self,
        user,
        periods: Sequence[Nights],
        *,
        where: Q | None = None,
        grouping_sets: Sequence[Sequence[str]] = ((),),
        measures: Sequence[str] | None = None,
        step: int = 1,
        shown_only: Collection[str] = (),
    ) -> list[dict]:
        """compare_periods over the user's records (those `where` holds for)."""
        return compare_periods(
            self.records(user).filter(where or Q()),
            moment=self.moment,
            periods=periods,
            values=self.values,
            grouping_sets=grouping_sets,
            measures={
                name: self.measures[name]
                for name in (self.measures if measures is None else measures)
            },
            step=step,
            shown_only=shown_only,
        )


def grouped(
    rows: QuerySet,
    *,
    moment: str,
    first: date,
    last: date,
    bucket: Bucket | None,
    dimensions: Sequence[Dimension],
    measures: Mapping[str, Measure],
) -> QuerySet:
    """The rows whose `moment` falls in the operational nights first to last, grouped by bucket
    (the first night of each, and whether first or last cut the bucket short: `partial`) and the
    dimensions, with the measures: one query, and PostgreSQL does the counting."""
    start, end = night_bounds(first)[0], night_bounds(last)[1]
    rows = rows.filter(**{f"{moment}__gte": start, f"{moment}__lt": end}).order_by()
    fields = [name for dimension in dimensions for name in dimension.fields]
    expressions = {
        name: expression
        for dimension in dimensions
        for name, expression in dimension.expressions.items()
    }
    if bucket:
        bucket_start = BucketStart(OperationalNight(moment), bucket)
        cut = partial_buckets(Nights(first, last), bucket)
        expressions = {
            "bucket": bucket_start,
            "partial": In(bucket_start, cut) if cut else Value(False, output_field=BooleanField()),
            **expressions,
        }
    aggregates = {name: measure.aggregate() for name, measure in measures.items()}
    return (
        rows.values(*fields, **expressions).annotate(**aggregates).order_by(*expressions, *fields)
    )


# What compare_periods groups any row by from its moment alone, worked out once per row from its
# local wall-clock time `local` and its operational night `night`.
TIME_VALUES = {
    "night": "night",
    # Nights from the period's first, or with a step of 7 the EST weeks (Monday to Sunday) from
    # the week the period's first night is in, so week 47 is counted as week 47 whatever night
    # the period begins on.
    "step": "{step_sql}",
    "weekday": "extract(isodow FROM night)::int",  # the night's weekday, 1 for Monday's
    "hour": "extract(hour FROM local)::int",
}


def _step_sql(step: int) -> str:
    if step == 7:
        monday = "date_trunc('week', ({})::timestamp)::date"
        return f"({monday.format('night')} - {monday.format('first_night')}) / 7"
    return f"(night - first_night) / {int(step)}"


def compare_periods(
    rows: QuerySet,
    *,
    moment: str,
    periods: Sequence[Nights] | None,
    values: Mapping[str, Expression | F],
    grouping_sets: Sequence[Sequence[str]],
    measures: Mapping[str, Measure],
    step: int = 1,
    shown_only: Collection[str] = (),
) -> list[dict]:
    """Measures of the same rows in several periods at once, grouped in several ways at once:
    one query and one pass over the rows, however many figures a page shows.

    `rows` is the scoped and filtered queryset and `moment` the time that places a row in a
    period. Each period is joined to the rows it holds (so overlapping periods each count their
    rows); without periods every row counts, as period 0. The grouping sets name `values`
    (expressions over one row) and TIME_VALUES ("step" counts nights in steps of `step`). The
    values named in `shown_only` are kept for the first period only (None in the others), and
    only worked out for its rows. Every set is grouped by period too.

    Returns one dict per period and group: "period" (index into `periods`), "set" (index into
    `grouping_sets`), the values grouped by (None outside the set) and the measures.
    """
    if periods is not None and not periods:
        return []
    names = list(dict.fromkeys(name for grouping in grouping_sets for name in grouping))
    bounds = [nights.bounds() for nights in periods or ()]
    columns: dict[str, Expression | F] = {"moment_at": F(moment)}
    # The local time and the night only when something is grouped by them.
    timed = any(name in TIME_VALUES for name in names)
    if timed:
        columns["local"] = LocalTime(moment)
    for name in names:
        if name in TIME_VALUES:
            continue
        value = values[name]
        if name in shown_only and bounds:
            shown = Q(**{f"{moment}__gte": bounds[0][0], f"{moment}__lt": bounds[0][1]})
            value = Case(When(shown, then=value))
        columns[f"d_{name}"] = value
    for name, measure in measures.items():
        columns |= measure.columns(name)
    selected = []
    for name in names:
        column = (
            TIME_VALUES[name].format(step_sql=_step_sql(step))
            if name in TIME_VALUES
            else f"d_{name}"
        )
        if name in shown_only:
            column = f"CASE WHEN period = 0 THEN {column} END"
        selected.append(f"{column} AS {name}")
    selected += [column for column in columns if column[:2] in ("m_", "w_")]

    base = rows.order_by().values(**columns)
    if bounds:
        within = Q()
        for start, end in bounds:
            within |= Q(**{f"{moment}__gte": start, f"{moment}__lt": end})
        base = base.filter(within)
        periods_sql = ", ".join(
            "(%s, %s::timestamptz, %s::timestamptz, %s::date)" for _period in bounds
        )
        join = (
            "JOIN periods ON base.moment_at >= periods.start_at AND base.moment_at < periods.end_at"
        )
        values_params = [
            part
            for index, ((start, end), nights) in enumerate(zip(bounds, periods or (), strict=True))
            for part in (index, start, end, nights.first)
        ]
    else:
        periods_sql = "(0, NULL::timestamptz, NULL::timestamptz, NULL::date)"
        join, values_params = "CROSS JOIN periods", []
    base_sql, base_params = base.query.sql_with_params()
    sets = ", ".join("({})".format(", ".join(["period", *grouping])) for grouping in grouping_sets)
    # Each row's night and values are computed once, below the grouping: the OFFSET 0s keep
    # PostgreSQL from folding them into every grouping key again.
    sql = f"""
        WITH base AS ({base_sql}),
        periods (period, start_at, end_at, first_night) AS (VALUES {periods_sql})
        SELECT period, GROUPING({", ".join(names) or "period"}) AS grouping_id,
               {"".join(f"{name}, " for name in names)}
               {", ".join(f"{measure.sql(name)} AS {name}" for name, measure in measures.items())}
        FROM (
            SELECT period{"".join(f", {column}" for column in selected)}
            FROM (
                SELECT periods.period, periods.first_night, base.*
                       {f", {night_sql('base.local')} AS night" if timed else ""}
                FROM base
                {join}
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
            [AGGREGATE_WORK_MEM, *base_params, *values_params],
        )
        cursor.nextset()
        columns_out = [column.name for column in cursor.description]
        results = []
        for row in cursor.fetchall():
            record = dict(zip(columns_out, row, strict=True))
            record["set"] = masks[record.pop("grouping_id")]
            results.append(record)
    return results
