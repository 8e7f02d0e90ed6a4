"""The periods of the lägesbild, as runs of operational nights: last night, the last seven
nights, the EST week (Monday–Sunday), a month and a tertial (January–April, May–August,
September–December), or any range; and what each is compared with: the period before it and
the same period last year.

A period still running ("this week" on a Wednesday) is shown up to last night and compared with
as many nights at the start of the periods it is compared with, so that three nights are never
measured against seven.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from trygghet.core.time import local_tz, night_bounds

# Week-based periods are compared with the same weekdays a year back (52 weeks), so Fridays
# meet Fridays; calendar periods with the same dates.
YEAR_OF_WEEKS = timedelta(weeks=52)


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
    Bucket.NIGHT: gettext_lazy("Operational night"),
    Bucket.WEEK: gettext_lazy("Week"),
    Bucket.MONTH: gettext_lazy("Month"),
    Bucket.TERTIAL: gettext_lazy("Tertial"),
}


class PeriodKind(StrEnum):
    NIGHT = "night"
    SEVEN_NIGHTS = "7nights"
    WEEK = "week"
    MONTH = "month"
    TERTIAL = "tertial"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self])


PERIOD_LABELS = {
    PeriodKind.NIGHT: pgettext_lazy("the night before this morning", "Last night"),
    PeriodKind.SEVEN_NIGHTS: gettext_lazy("7 nights"),
    PeriodKind.WEEK: gettext_lazy("Week"),
    PeriodKind.MONTH: gettext_lazy("Month"),
    PeriodKind.TERTIAL: gettext_lazy("Tertial"),
    PeriodKind.CUSTOM: gettext_lazy("Custom"),
}


@dataclass(frozen=True)
class Nights:
    """Operational nights from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def count(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """The first night's noon and the noon after the last night, in UTC."""
        return night_bounds(self.first)[0], night_bounds(self.last)[1]

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.count)]

    def shifted(self, delta: timedelta) -> Nights:
        return Nights(self.first + delta, self.last + delta)

    def starting(self, first: date) -> Nights:
        """As many nights as this, from another first night."""
        return Nights(first, first + (self.last - self.first))

    def label(self) -> str:
        if self.first == self.last:
            return date_format(self.first, "j F Y")
        last = date_format(self.last, "j F Y")
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first.day}–{last}"
        same_year = self.first.year == self.last.year
        return "{first} – {last}".format(
            first=date_format(self.first, "j F" if same_year else "j F Y"), last=last
        )


def night_label(night: date) -> str:
    """ "The night to Wednesday 25 November 2026": how Swedes name the night of the 24th."""
    return _("Night to {day}").format(day=date_format(night + timedelta(days=1), "l j F Y").lower())


def last_night(now: datetime | None = None) -> date:
    """The night the chief reads about in the morning: the one that began yesterday."""
    return timezone.localtime(now or timezone.now(), local_tz()).date() - timedelta(days=1)


def week_of(night: date) -> Nights:
    monday = night - timedelta(days=night.weekday())
    return Nights(monday, monday + timedelta(days=6))


def month_of(night: date) -> Nights:
    days = calendar.monthrange(night.year, night.month)[1]
    return Nights(night.replace(day=1), night.replace(day=days))


def tertial_of(night: date) -> Nights:
    first_month = (night.month - 1) // 4 * 4 + 1
    first = date(night.year, first_month, 1)
    return Nights(first, month_of(date(night.year, first_month + 3, 1)).last)


def tertial_number(night: date) -> int:
    return (night.month - 1) // 4 + 1


def year_before(day: date) -> date:
    """The same date a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """What the chief picked: the whole period, the part of it shown (up to last night), and
    the two periods it is compared with, each as long as the part shown."""

    kind: PeriodKind
    whole: Nights
    shown: Nights
    previous: Nights
    last_year: Nights
    latest: date  # last night, the latest that may be shown

    @property
    def so_far(self) -> bool:
        return self.shown != self.whole

    @property
    def trend_bucket(self) -> Bucket:
        """Nights for up to a month, weeks for longer."""
        return Bucket.NIGHT if self.shown.count <= 31 else Bucket.WEEK

    def label(self) -> str:
        first = self.whole.first
        match self.kind:
            case PeriodKind.NIGHT:
                text = night_label(first)
            case PeriodKind.WEEK:
                text = _("Week {number}, {nights}").format(
                    number=first.isocalendar().week, nights=self.whole.label()
                )
            case PeriodKind.MONTH:
                text = date_format(first, "F Y").capitalize()
            case PeriodKind.TERTIAL:
                text = _("Tertial {number} {year}, {months}").format(
                    number=tertial_number(first),
                    year=first.year,
                    months="{first}–{last}".format(
                        first=date_format(first, "F"), last=date_format(self.whole.last, "F")
                    ),
                )
            case _:
                text = self.whole.label()
        return _("{period} (so far)").format(period=text) if self.so_far else text

    def before(self) -> date:
        """A night in the period before this one, to move back by."""
        return self.whole.first - timedelta(days=1)

    def after(self) -> date | None:
        """A night in the period after this one (for seven nights, the last of the next
        seven, as far as there are nights), unless that has not begun."""
        if self.whole.last >= self.latest:
            return None
        step = 7 if self.kind == PeriodKind.SEVEN_NIGHTS else 1
        return min(self.whole.last + timedelta(days=step), self.latest)


def period(
    kind: PeriodKind,
    *,
    on: date | None = None,
    first: date | None = None,
    last: date | None = None,
    now: datetime | None = None,
) -> Period:
    """The period of a kind that holds the night `on` (last night by default, and never a
    night that has not begun); CUSTOM takes `first` and `last` instead."""
    latest = last_night(now)
    on = min(on or latest, latest)
    match kind:
        case PeriodKind.NIGHT:
            whole = Nights(on, on)
        case PeriodKind.SEVEN_NIGHTS:
            whole = Nights(on - timedelta(days=6), on)
        case PeriodKind.WEEK:
            whole = week_of(on)
        case PeriodKind.MONTH:
            whole = month_of(on)
        case PeriodKind.TERTIAL:
            whole = tertial_of(on)
        case _:
            whole = Nights(min(first or on, latest), min(last or on, latest))
    previous, last_year = _compared_with(PeriodKind(kind), whole)
    shown = Nights(whole.first, min(whole.last, latest))
    return Period(
        kind=PeriodKind(kind),
        whole=whole,
        shown=shown,
        previous=_as_long_as(previous, shown, whole),
        last_year=_as_long_as(last_year, shown, whole),
        latest=latest,
    )


def _compared_with(kind: PeriodKind, whole: Nights) -> tuple[Nights, Nights]:
    """The period before and the same period last year, whole."""
    match kind:
        case PeriodKind.MONTH:
            return month_of(whole.first - timedelta(days=1)), month_of(year_before(whole.first))
        case PeriodKind.TERTIAL:
            return (
                tertial_of(whole.first - timedelta(days=1)),
                tertial_of(year_before(whole.first)),
            )
        case PeriodKind.CUSTOM:
            return (
                whole.shifted(-timedelta(days=whole.count)),
                Nights(year_before(whole.first), year_before(whole.last)),
            )
        case _:
            return whole.shifted(-timedelta(days=whole.count)), whole.shifted(-YEAR_OF_WEEKS)


def _as_long_as(other: Nights, shown: Nights, whole: Nights) -> Nights:
    """Compared with a period still running: only as many nights as have been shown. A whole
    month is compared with the whole month before, however long."""
    if shown == whole:
        return other
    return Nights(other.first, min(other.last, other.first + timedelta(days=shown.count - 1)))


def bucket_of(night: date, bucket: Bucket) -> Nights:
    """The whole bucket a night falls in."""
    return {
        Bucket.NIGHT: lambda: Nights(night, night),
        Bucket.WEEK: lambda: week_of(night),
        Bucket.MONTH: lambda: month_of(night),
        Bucket.TERTIAL: lambda: tertial_of(night),
    }[bucket]()


def bucket_starts(nights: Nights, bucket: Bucket) -> list[date]:
    """The first night of every bucket that holds one of the nights, in order."""
    starts: list[date] = []
    for night in nights.dates():
        start = bucket_of(night, bucket).first
        if not starts or starts[-1] != start:
            starts.append(start)
    return starts


def partial_buckets(nights: Nights, bucket: Bucket) -> list[date]:
    """The first nights of the buckets the nights cut short: the first and the last bucket
    when the period starts after the one's first night or ends before the other's last."""
    first, last = bucket_of(nights.first, bucket), bucket_of(nights.last, bucket)
    cut = [first.first] if first.first < nights.first else []
    if last.last > nights.last and last.first not in cut:
        cut.append(last.first)
    return cut
