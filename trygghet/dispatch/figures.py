"""The call-outs' figures, declared once: how many requests, and the median minutes from the
request to the first time a car was sent, acknowledged it and was on scene. The board, the
request list, the API's figures and the lägesbild all count through `call_outs()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Min, Q, QuerySet

from trygghet.core.aggregates import Counted, Measure, Minutes, compare_periods
from trygghet.core.time import OperationalNight
from trygghet.dispatch.models import DispatchRequest, State
from trygghet.dispatch.permissions import REQUEST_LOOKUPS, requests_for_user

# Each median's name and the step it runs to, from the request.
STEPS = {
    "to_dispatch": "dispatched_at",
    "to_acknowledge": "acknowledged_at",
    "to_on_scene": "on_scene_at",
}


def with_times(requests: QuerySet[DispatchRequest]) -> QuerySet[DispatchRequest]:
    """Each request's operational night and the first time it reached each state, from its
    step rows (FILTER aggregates, one query for the list)."""

    def first(*states: str) -> Min:
        return Min("steps__at", filter=Q(steps__state__in=states))

    return requests.annotate(
        night=OperationalNight("requested_at"),
        dispatched_at=first(State.DISPATCHED),
        acknowledged_at=first(State.ACKNOWLEDGED),
        on_scene_at=first(State.ON_SCENE),
        closed_at=first(State.CLEARED, State.CANCELLED),
    )


def _scoped(user) -> QuerySet[DispatchRequest]:
    return with_times(requests_for_user(user))


def call_outs() -> Counted:
    """Call-outs by when they were requested. Cancelled requests count in `requests`, and only
    the steps they reached count in the medians."""
    return Counted(
        records=_scoped,
        moment="requested_at",
        filters=REQUEST_LOOKUPS,
        values={"priority": F("priority")},
        measures={
            "requests": Measure.count(),
            "dispatched": Measure.count(F("dispatched_at")),
            "on_scene": Measure.count(F("on_scene_at")),
            **{
                name: Measure.median(Minutes(F("requested_at"), F(step), exact=True))
                for name, step in STEPS.items()
            },
        },
    )


@dataclass(frozen=True)
class ResponseTimes:
    """Median times from request to each step, for one operational night and priority. A
    row with `night` None covers the whole period; `priority` None covers all priorities."""

    night: date | None
    priority: int | None
    requests: int
    dispatched: int
    on_scene: int
    to_dispatch: timedelta | None
    to_acknowledge: timedelta | None
    to_on_scene: timedelta | None


def response_times(
    requests: QuerySet[DispatchRequest], *, by_night: bool = True
) -> list[ResponseTimes]:
    """The medians per operational night and priority, with the totals per night, per priority
    and for the whole set: one query, PostgreSQL computing each median over the step rows.

    `requests` is already scoped and filtered (the list's own queryset)."""
    counted = call_outs()
    sets = (
        [("night", "priority"), ("night",), ("priority",), ()] if by_night else [("priority",), ()]
    )
    rows = compare_periods(
        with_times(requests),
        moment=counted.moment,
        periods=None,
        values=counted.values,
        grouping_sets=sets,
        measures=counted.measures,
    )
    rows.sort(
        key=lambda row: (
            row.get("night") is None,
            row.get("night") or date.min,
            row["priority"] is None,
            row["priority"] or 0,
        )
    )
    return [
        ResponseTimes(
            night=row.get("night"),
            priority=row["priority"],
            requests=row["requests"],
            dispatched=row["dispatched"],
            on_scene=row["on_scene"],
            **{name: _minutes(row[name]) for name in STEPS},
        )
        for row in rows
    ]


def _minutes(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)
