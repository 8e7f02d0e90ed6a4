"""A fixed morning and a fortnight of incidents, calls for help and night-button calls around it,
with the same week a year earlier, so every figure of the lägesbild has something to count."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from incidents.models import NightButtonCall
from patrols.models import Visit
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift, square

STHLM = ZoneInfo("Europe/Stockholm")
# Wednesday 25 November 2026, 07:30: last night is Tuesday's, the last seven nights 18–24
# November, the seven before them 11–17 November, and a year earlier 19–25 November 2025.
MORNING = datetime(2026, 11, 25, 7, 30, tzinfo=STHLM)
CURRENT = [date(2026, 11, 18) + timedelta(days=n) for n in range(7)]
PREVIOUS = [date(2026, 11, 11) + timedelta(days=n) for n in range(7)]
LAST_YEAR = [date(2025, 11, 19) + timedelta(days=n) for n in range(7)]


def at(night: date, hour: int, minute: int = 0) -> datetime:
    """A moment of an operational night: hours before noon are the next morning."""
    day = night + timedelta(days=1) if hour < 12 else night
    return datetime.combine(day, time(hour, minute), tzinfo=STHLM).astimezone(UTC)


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def areas(db):
    return {
        "centrum": AreaFactory(name="Centrum", boundary=square(16.53, 59.60, 0.01)),
        "hamnen": AreaFactory(name="Hamnen", boundary=square(16.56, 59.60, 0.01)),
    }


@pytest.fixture
def logged(persona, areas):
    """Graffiti in Centrum grows from 2 to 6 and littering in Hamnen stays at 1; a year ago
    there were 3. Two calls for help (one reached after 10 minutes), and a night-button call."""
    host = persona("host")
    rows = []

    def log(night, hour, code, area, **options):
        rows.append(
            IncidentFactory(
                reported_by=host,
                occurred_at=at(night, hour),
                category=category(code),
                area=areas[area],
                **options,
            )
        )
        return rows[-1]

    for night, hour in zip(CURRENT[:6], [21, 22, 23, 1, 2, 21], strict=True):
        log(night, hour, "graffiti", "centrum")
    log(CURRENT[6], 22, "littering", "hamnen", latitude=None, longitude=None)
    log(PREVIOUS[0], 21, "graffiti", "centrum")
    log(PREVIOUS[3], 23, "graffiti", "centrum")
    log(PREVIOUS[5], 20, "littering", "hamnen")
    for night in LAST_YEAR[:3]:
        log(night, 22, "graffiti", "hamnen")
    called = at(CURRENT[2], 23, 5)
    EscalationFactory(incident=rows[2], called_at=called, arrived_at=called + timedelta(minutes=10))
    EscalationFactory(incident=rows[3], called_at=at(CURRENT[3], 1, 10))
    shift = make_shift(
        hosts=[host], start=at(CURRENT[6], 18), hours=8, phone_line=PhoneLineFactory()
    )
    NightButtonCall.objects.create(
        phone_line=shift.phone_line,
        host=host,
        shift=shift,
        started_at=at(CURRENT[6], 22, 30),
        ended_at=at(CURRENT[6], 22, 45),
        outcome="arrived",
    )
    Visit.objects.create(
        shift=shift,
        area=areas["centrum"],
        arrived_at=at(CURRENT[6], 21),
        left_at=at(CURRENT[6], 22),
        recorded_by=host,
        note="PERSONUPPGIFT",
    )
    return rows
