"""The operational night is one setting: moved from noon to two in the afternoon, a moment at
13:00 leaves Friday's night for Thursday's in every figure at once."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from patrols.models import Visit
from patrols.selectors import presence
from tests.dispatch.factories import walk
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory, make_shift
from trygghet.core.periods import PeriodKind, period
from trygghet.core.time import night_bounds, operational_night
from trygghet.dashboard.selectors import Filters, area_choices, lagesbild
from trygghet.dispatch.figures import response_times
from trygghet.dispatch.models import DispatchRequest, State

STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY = date(2026, 11, 20)
THURSDAY = FRIDAY - timedelta(days=1)
AT_ONE = datetime(2026, 11, 20, 13, 0, tzinfo=STHLM).astimezone(UTC)
MORNING = datetime(2026, 11, 25, 7, 30, tzinfo=STHLM)


@pytest.mark.parametrize(
    ("starts", "night", "other"), [(12, FRIDAY, THURSDAY), (14, THURSDAY, FRIDAY)]
)
def test_every_figure_moves_with_the_night_setting(
    settings, persona, client_as, starts, night, other
):
    settings.OPERATIONAL_NIGHT_STARTS = starts
    host, chief = persona("host"), persona("chief")
    area = AreaFactory(name="Centrum")
    incident = IncidentFactory(
        reported_by=host, occurred_at=AT_ONE, area=area, category=category("graffiti")
    )
    EscalationFactory(incident=incident, called_at=AT_ONE, arrived_at=AT_ONE + timedelta(minutes=8))
    shift = make_shift(hosts=[host], start=AT_ONE - timedelta(minutes=30), hours=2, active=True)
    Visit.objects.create(
        shift=shift,
        area=area,
        arrived_at=AT_ONE,
        left_at=AT_ONE + timedelta(minutes=60),
        recorded_by=host,
    )
    walk(chief, shift, AT_ONE, (4, State.DISPATCHED))

    assert operational_night(AT_ONE) == night
    start, end = night_bounds(night)
    assert start <= AT_ONE < end

    with time_machine.travel(MORNING, tick=False):
        stats = client_as("chief").get(
            "/api/v1/stats/incidents/", {"from": THURSDAY, "to": FRIDAY, "bucket": "night"}
        )
        calls = client_as("chief").get(
            "/api/v1/stats/escalations/", {"from": THURSDAY, "to": FRIDAY, "bucket": "night"}
        )
        shown = {
            which: lagesbild(
                user=chief,
                period=period(PeriodKind.NIGHT, on=which),
                filters=Filters(),
                areas=area_choices(chief),
            )
            for which in (night, other)
        }
    assert [(row["bucket"], row["count"]) for row in stats.json()["results"]] == [
        (night.isoformat(), 1)
    ]
    assert [row["bucket"] for row in calls.json()["results"]] == [night.isoformat()]
    assert (shown[night].incidents.now, shown[other].incidents.now) == (1, 0)
    assert (shown[night].escalations.now, shown[other].escalations.now) == (1, 0)
    assert shown[night].dispatches["total"]["requests"].now == 1
    assert shown[other].dispatches["total"]["requests"].now == 0
    assert shown[night].heat[0]["cells"][0]["hour"] == starts  # the heat map's first column
    assert (shown[night].presence.present_hours.now, shown[other].presence.present_hours.now) == (
        1,
        0,
    )
    assert [row.present_minutes for row in presence(first_night=night, last_night=night)] == [60]
    assert presence(first_night=other, last_night=other) == []
    nights = {row.night for row in response_times(DispatchRequest.objects.all()) if row.night}
    assert nights == {night}
