from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.incidents.factories import IncidentFactory
from trygghet.core.periods import PeriodKind, period
from trygghet.dashboard.figures import Change
from trygghet.dashboard.selectors import Filters, area_choices, lagesbild

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("now", "before", "worse_when_higher", "tone", "text"),
    [
        (12, 10, True, "", "+20 %"),  # two more is not notable
        (16, 10, True, "bad", "+60 %"),
        (4, 10, True, "good", "−60 %"),
        (16, 10, False, "good", "+60 %"),
        (5, 0, True, "bad", "+5"),  # from nothing: the difference, not infinity
        (17, 2, True, "bad", "+15"),  # from few: the difference, not +750 %
        (10, 10, True, "", "±0 %"),
        (None, 10, True, "", "–"),
    ],
)
def test_a_change_is_notable_when_it_is_large_and_not_a_handful(
    now, before, worse_when_higher, tone, text
):
    change = Change(now, before, worse_when_higher)
    assert change.tone == tone
    assert change.text == text


@pytest.mark.parametrize(("now", "before", "text"), [(5.6, 5.7, "±0"), (1001, 1000, "±0 %")])
def test_a_change_too_small_to_show_has_no_arrow(now, before, text):
    change = Change(now, before)
    assert (change.text, change.direction) == (text, "same")
    assert Change(5.2, 3.9).direction == "up"


def test_nights_across_the_autumn_clock_change(persona, areas):
    """The night of Saturday 24 October 2026 lasts 25 hours: both 02:30s are in it, and Sunday
    noon starts the next."""
    host = persona("host")
    for moment in (
        datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=STHLM),
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=STHLM),
        datetime(2026, 10, 25, 11, 59, tzinfo=STHLM),
        datetime(2026, 10, 25, 12, 0, tzinfo=STHLM),
    ):
        IncidentFactory(reported_by=host, occurred_at=moment, area=areas["centrum"])
    with time_machine.travel(datetime(2026, 10, 28, 7, tzinfo=STHLM), tick=False):
        chosen = period(PeriodKind.SEVEN_NIGHTS)
        figures = lagesbild(
            user=persona("chief"),
            period=chosen,
            filters=Filters(),
            areas=area_choices(persona("chief")),
        )
    assert chosen.shown.first == date(2026, 10, 21)
    assert figures.trend["series"][0] == [0, 0, 0, 3, 1, 0, 0]
    saturday = next(row for row in figures.heat if row["weekday"] == 6)
    assert {cell["hour"]: cell["count"] for cell in saturday["cells"]}[2] == 2
