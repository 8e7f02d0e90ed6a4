import re
from datetime import UTC, datetime, time, timedelta

from playwright.sync_api import expect

from incidents.models import NightButtonCall
from tests.browser.conftest import DESK, shoot, sign_in
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift, square
from trygghet.core.periods import last_night
from trygghet.core.time import local_tz

CODES = ["graffiti", "littering", "crowd", "dialogue", "vandalism", "reckless_driving"]


def at(night, hour: int, minute: int = 0) -> datetime:
    day = night + timedelta(days=1) if hour < 12 else night
    return datetime.combine(day, time(hour, minute), tzinfo=local_tz()).astimezone(UTC)


def fortnight(host) -> None:
    """Two weeks and a bit of incidents in three areas, more of them lately in Centrum, with
    calls for help and night-button calls: a picture with something growing."""
    areas = [
        AreaFactory.create(name="Centrum", boundary=square(16.535, 59.605, 0.012)),
        AreaFactory.create(name="Resecentrum", boundary=square(16.552, 59.605, 0.008)),
        AreaFactory.create(name="Råbyhöjden", boundary=square(16.535, 59.620, 0.010)),
    ]
    latest = last_night()
    shift = make_shift(hosts=[host], start=at(latest, 18), hours=8, phone_line=PhoneLineFactory())
    for back in range(21):
        night = latest - timedelta(days=back)
        count = 2 + (back % 3) + (4 if back < 7 and back % 2 == 0 else 0)
        for index in range(count):
            area = areas[(back + index) % 3 if back >= 7 else index % 2]
            west, south = area.boundary["coordinates"][0][0]
            incident = IncidentFactory.create(
                reported_by=host,
                occurred_at=at(night, [19, 21, 22, 23, 0, 1][index % 6], 7 * index % 60),
                category=category(CODES[(index + back) % len(CODES)]),
                area=area,
                latitude=round(south + 0.001 + 0.0007 * index, 6),
                longitude=round(west + 0.001 + 0.0009 * (index % 4), 6),
            )
            if index == 0 and back % 4 == 0:
                EscalationFactory(
                    incident=incident,
                    called_at=incident.occurred_at,
                    arrived_at=incident.occurred_at + timedelta(minutes=9 + back),
                )
        if back < 7:
            NightButtonCall.objects.create(
                phone_line=shift.phone_line,
                host=host,
                shift=shift,
                started_at=at(night, 22, 10 + back),
                ended_at=at(night, 22, 30 + back),
                outcome="arrived",
            )


def test_chief_reads_the_lagesbild_changes_period_and_area_and_opens_the_report(new_page, persona):
    fortnight(persona("host"))
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    expect(page.get_by_role("heading", name="I natt")).to_be_visible()
    shoot(page, "lagesbild-start")

    page.get_by_role("link", name="Öppna lägesbilden").click()
    expect(page.locator(".lb-period-label")).to_be_visible()
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    expect(page.locator("#lb-map .lb-bubble").first).to_be_visible()
    shoot(page, "lagesbild-seven-nights")

    # htmx swaps the figures for the week and then for one area; the address follows.
    page.locator("label.lb-period-choice", has_text="Vecka").click()
    expect(page.locator(".lb-period-label")).to_contain_text("Vecka")
    expect(page).to_have_url(re.compile(r"period=week"))
    page.get_by_label("Område", exact=True).select_option(label="Centrum")
    expect(page.locator(".lb-period-label")).to_contain_text("Centrum")
    expect(page).to_have_url(re.compile(r"area=\d+"))
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    shoot(page, "lagesbild-week-centrum")

    page.get_by_role("link", name="Perioden före").click()
    expect(page.locator(".lb-period-label")).not_to_contain_text("hittills")

    page.get_by_role("link", name="Rapport för utskrift").click()
    expect(page.get_by_role("button", name="Skriv ut eller spara som PDF")).to_be_visible()
    expect(page.locator(".lb-report-head h1")).to_contain_text("Vecka")
    expect(page.locator("#lb-map .lb-bubble").first).to_be_visible()
    shoot(page, "lagesbild-report")
    page.emulate_media(media="print")
    expect(page.locator(".lb-report-toolbar")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()


def test_the_lagesbild_at_night_in_the_dark_theme(new_page, persona):
    fortnight(persona("host"))
    page = new_page(color_scheme="dark")
    sign_in(page, persona("partner").username)
    page.goto("/lagesbild/?period=month")
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    expect(page.locator("text=Avvikelser vid byggnaderna")).to_have_count(0)
    shoot(page, "lagesbild-partner-month-dark")
