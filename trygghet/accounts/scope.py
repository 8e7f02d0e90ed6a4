"""What a partner may see: the scope the chief set for the partner's organisation, as a filter on
any kind of record. Each app says where its records keep an area, a category group and a night
(the same lookups its figures declare), and the scope answers with one Q, so pages, the API,
exports, figures and e-mails all apply one rule.

A record that cannot be placed inside the scope is outside it: an organisation limited to some
areas sees nothing that has no area, one limited to some groups nothing without a group, one with
an agreement period nothing without a time. A partner in no organisation, or in one no longer
active, sees nothing at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from trygghet.core.time import night_bounds

if TYPE_CHECKING:
    from trygghet.accounts.models import Organisation

# Always false and still valid SQL (an empty `__in` would raise before any SQL is written, which
# the figures' hand-written queries cannot take).
NOTHING = Q(pk__isnull=True)


@dataclass(frozen=True)
class Scope:
    """The scope of `organisation`; None is a partner who belongs to no organisation."""

    organisation: Organisation | None

    @property
    def nights(self) -> tuple[date | None, date | None] | None:
        """The agreement as its first night and the first night after it (either None when
        open), or None when there is no limit."""
        agreement = self.organisation.agreement if self.organisation else None
        if agreement is None:
            return None
        return agreement.lower, agreement.upper

    @property
    def last_nights(self) -> tuple[date | None, date | None] | None:
        """The agreement as its first and last night, as the chief names them."""
        if self.nights is None:
            return None
        first, after = self.nights
        return first, after - timedelta(days=1) if after else None

    def q(
        self,
        lookups: Mapping[str, str],
        *,
        moment: str | None = None,
        without: Collection[str] = (),
    ) -> Q:
        """The records inside the scope. `lookups` name where a record keeps its area ("area",
        a lookup to an Area or its id), its category group ("group") and its operational night
        as a date ("night"); without "night", `moment` (a date and time) places it. `without`
        names the sides of the scope that do not apply to such records at all: an area or a
        visit has no category group, a standing plan no night."""
        organisation = self.organisation
        if organisation is None or not organisation.active:
            return NOTHING
        q = Q()
        if not organisation.all_areas:
            if "area" not in lookups:
                return NOTHING
            q &= Q(**{f"{lookups['area']}__in": organisation.areas.values("pk")})
        if organisation.category_groups and "group" not in without:
            if "group" not in lookups:
                return NOTHING
            q &= Q(**{f"{lookups['group']}__in": organisation.category_groups})
        if self.nights is not None and "night" not in without:
            within = self._within(lookups.get("night"), moment)
            if within is None:
                return NOTHING
            q &= within
        return q

    def _within(self, night: str | None, moment: str | None) -> Q | None:
        assert self.nights is not None
        first, after = self.nights
        within = Q()
        if night is not None:
            if first is not None:
                within &= Q(**{f"{night}__gte": first})
            if after is not None:
                within &= Q(**{f"{night}__lt": after})
            return within
        if moment is None:
            return None
        # A night runs from noon to noon, local time, whatever the clocks did in between.
        if first is not None:
            within &= Q(**{f"{moment}__gte": night_bounds(first)[0]})
        if after is not None:
            within &= Q(**{f"{moment}__lt": night_bounds(after)[0]})
        return within

    def nights_within(self, first: date, last: date) -> tuple[date, date] | None:
        """The part of the nights `first` to `last` inside the agreement, or None when no
        night of them is (or the organisation may see nothing)."""
        if self.organisation is None or not self.organisation.active:
            return None
        if self.nights is not None:
            start, after = self.nights
            first = max(first, start) if start else first
            last = min(last, after - timedelta(days=1)) if after else last
        return (first, last) if first <= last else None
