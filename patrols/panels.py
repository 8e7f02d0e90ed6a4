"""The start-page panels: the host's "My shift" and "Tonight's areas", the chief's "Tonight".
Each context function loads everything its template shows; the visit views render the same
panel after a tap."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone

from patrols.forms import ShiftStartForm
from patrols.geo import area_feature
from patrols.models import Area, Shift, ShiftState
from patrols.selectors import (
    areas_on_night,
    long_visits,
    open_visits_by_area,
    overrunning_shifts,
    shift_for_host_now,
    with_hosts,
)
from patrols.services import START_EARLY
from trygghet.core.geojson import feature_collection
from trygghet.core.time import night_bounds, operational_night


def my_shift(request) -> dict:
    now = timezone.now()
    shift = shift_for_host_now(request.user, now)
    context: dict[str, object] = {"shift": shift, "now": now}
    if shift is not None and shift.state == ShiftState.ACTIVE:
        # While working, the quick log and tonight's areas take the first screen and the thumb
        # zone; ending the shift is the last thing of the night.
        context["order"] = 90
        context["long_visits"] = list(long_visits(now, Shift.objects.filter(pk=shift.pk)))
        context["overrun"] = overrunning_shifts(now).filter(pk=shift.pk).exists()
    if shift is not None:
        context["colleagues"] = [
            row.host for row in shift.shift_hosts.all() if row.host_id != request.user.pk
        ]
        if shift.state == ShiftState.PLANNED:
            context["startable"] = now >= shift.planned_start - START_EARLY
            context["start_from"] = shift.planned_start - START_EARLY
            context["start_form"] = ShiftStartForm(
                initial={"vehicle": shift.vehicle_id, "phone_line": shift.phone_line_id}
            )
    return context


def tonight(request) -> dict:
    """Tonight's areas, each with the visit the shift has open there and a fresh key for the
    next dialogue tap; areas visited outside tonight's list show too, so they can be left."""
    now = timezone.now()
    shift = shift_for_host_now(request.user, now)
    active = shift if shift is not None and shift.state == ShiftState.ACTIVE else None
    visits = open_visits_by_area(active)
    # The host's night is the shift's (a shift started early belongs to the night it was
    # planned for), and the car's own assignments lead the list.
    night = operational_night(shift.planned_start if shift is not None else now)
    entries = areas_on_night(night, shift.vehicle if shift is not None else None)
    listed = {entry.area.pk for entry in entries}
    others = list(Area.objects.active().exclude(pk__in=listed))
    cards = [
        {
            "area": entry.area,
            "tonight": entry,
            "open_now": entry.is_open(now),
            "visit": visits.get(entry.area.pk),
        }
        for entry in entries
    ] + [
        {"area": area, "tonight": None, "visit": visits[area.pk]}
        for area in others
        if area.pk in visits
    ]
    for card in cards:
        card["dialogue_key"] = uuid.uuid4()
    return {
        "shift": active,
        "cards": cards,
        "other_areas": [area for area in others if area.pk not in visits],
        "arrive_key": uuid.uuid4(),
        "map_data": feature_collection(
            area_feature(entry.area, priority=entry.priority, anchor=f"area-{entry.area.pk}")
            for entry in entries
        ),
        "area_at_url": reverse("patrols:area-here"),
    }


def chief_tonight(request) -> dict:
    """Tonight's shifts and how many areas are assigned: the chief's first look of the day."""
    night = operational_night(timezone.now())
    start, end = night_bounds(night)
    shifts = with_hosts(
        Shift.objects.filter(planned_start__lt=end, planned_end__gt=start).exclude(
            state=ShiftState.CANCELLED
        )
    ).order_by("planned_start", "id")
    now = timezone.now()
    return {
        "night": night,
        "shifts": list(shifts),
        "areas": areas_on_night(night),
        "long_visits": [
            (visit, _host_names(visit.shift))
            for visit in long_visits(now).prefetch_related("shift__shift_hosts__host")
        ],
        "overrunning": [(shift, _host_names(shift)) for shift in overrunning_shifts(now)],
    }


def _host_names(shift: Shift) -> str:
    return ", ".join(str(row.host) for row in shift.shift_hosts.all() if not row.cancelled)
