"""The deviations' figures on the lägesbild, declared once: how many were found, and how many
are unresolved and overdue now."""

from __future__ import annotations

from django.db.models import Q

from properties.models import DeviationState
from properties.permissions import deviations_for_user
from trygghet.core.aggregates import Counted, Measure
from trygghet.core.follow_up import overdue_cutoff


def deviations() -> Counted:
    unresolved = ~Q(state=DeviationState.RESOLVED)
    return Counted(
        records=deviations_for_user,
        moment="found_at",
        measures={
            "found": Measure.count(),
            "open": Measure.count(where=unresolved),
            "overdue": Measure.count(where=unresolved & Q(found_at__lt=overdue_cutoff())),
        },
    )
