"""A fixed morning for the EST record: Wednesday 25 November 2026, in week 48. Week 47's record
is open until the end of week 48; week 46's has closed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

MORNING = datetime(2026, 11, 25, 7, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
WEEK_46, WEEK_47, WEEK_48 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)


@pytest.fixture
def morning():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller
