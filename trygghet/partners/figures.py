"""The partners' weekly report rows as the lägesbild counts them: each row stands for `count`
events of one category on one night, in an area. Only event categories are counted, as for the
hosts; the rows have no time of night and no exact position, so the figures that need those
(the hour of the night, the map, the hot-spot candidates) stay the hosts' own."""

from __future__ import annotations

from django.db.models import F

from incidents.models import CategoryKind
from trygghet.accounts.policy import in_organisation_scope
from trygghet.core.aggregates import Counted, Measure
from trygghet.core.time import NightStart
from trygghet.partners.models import ReportRow

LOOKUPS = {"area": "area", "group": "category__group", "night": "night"}


def _event_rows(user):
    # A partner reads the rows of every organisation, but only inside their own scope: the
    # EST group shares one picture of the places each member may see.
    rows = ReportRow.objects.filter(category__kind=CategoryKind.EVENT).annotate(
        night_at=NightStart("night")
    )
    return in_organisation_scope(user, rows, LOOKUPS, moment="night_at")


def report_rows() -> Counted:
    """The partners' events: their counts, in all and per organisation (`source`)."""
    return Counted(
        records=_event_rows,
        moment="night_at",
        filters=LOOKUPS,
        values={
            "category": F("category"),
            "area": F("area"),
            "source": F("report__organisation"),
        },
        measures={"count": Measure.sum(F("count"))},
    )
