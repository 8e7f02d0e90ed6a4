"""The periods the group meets about, and how long the record of each stays open.

The meeting about a period is held after it ends (week 47 is read early in week 48), so the
assessment can be written and commented on, and actions agreed for it, from the period's first
day until the end of the period after it. Then the record stands as the meeting's paper; the
actions' status and outcome are still kept up to date, as their follow-up goes on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from trygghet.core.periods import Bucket, Nights, PeriodKind, bucket_of, last_night, period
from trygghet.core.time import local_tz
from trygghet.partners.models import MeetingPeriod


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=local_tz()).astimezone(UTC)


@dataclass(frozen=True)
class MeetingPeriodNights:
    kind: MeetingPeriod
    whole: Nights

    @property
    def first(self) -> date:
        return self.whole.first

    @property
    def next(self) -> Nights:
        return bucket_of(self.whole.last + timedelta(days=1), Bucket(self.kind))

    def has_begun(self) -> bool:
        """Whether the lägesbild shows it: its first night is over."""
        return self.whole.first <= last_night()

    def label(self) -> str:
        return period(PeriodKind(self.kind), on=self.first).label()

    def is_open(self, today: date | None = None) -> bool:
        """Whether the record may still be written: from the first day of the period until the
        last day of the one after it."""
        today = today or timezone.localdate()
        return self.whole.first <= today <= self.next.last

    def follow_up_window(self) -> tuple[datetime, datetime]:
        """When an action closed to count as closed in this period's follow-up: from the
        period's first day until the record closes, so what the meeting held after the period
        settled is there."""
        return _midnight(self.whole.first), _midnight(self.next.last + timedelta(days=1))


def meeting_period(kind: str, first: date) -> MeetingPeriodNights | None:
    """The period of a kind that begins on `first`, or None when there is no such period."""
    if kind not in MeetingPeriod.values:
        return None
    whole = bucket_of(first, Bucket(kind))
    if whole.first != first:
        return None
    return MeetingPeriodNights(MeetingPeriod(kind), whole)
