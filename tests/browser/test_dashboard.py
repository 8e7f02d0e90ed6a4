import io
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pdfplumber
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import CategoryKind, Incident, NightButtonCall
from patrols.models import Area
from tests.accounts.factories import DepartmentFactory, OrganisationFactory
from tests.browser.conftest import DESK, PHONE, assert_drawn_dark, luminance, shoot, sign_in
from tests.browser.test_public import serious_accessibility_violations
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.partners.factories import ActionFactory, AssessmentFactory
from tests.patrols.factories import AreaFactory, PhoneLineFactory, make_shift, square
from trygghet.core.periods import last_night, week_of
from trygghet.core.time import local_tz
from trygghet.partners.assessments.services import action_update
from trygghet.partners.models import ActionStatus

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


def incidents_in(first: date, last: date, area=None) -> str:
    """The events of the nights first..last counted here, apart from the dashboard's SQL: an
    incident belongs to the night that began at the noon before it."""
    return str(
        sum(
            first <= (timezone.localtime(incident.occurred_at) - timedelta(hours=12)).date() <= last
            and (area is None or incident.area == area)
            # Dialogues are the hosts' work, counted apart: the incident figures are events.
            and incident.category.kind == CategoryKind.EVENT
            for incident in Incident.objects.select_related("area", "category")
        )
    )


def figure(page, heading: str):
    card = page.locator(".lb-kpi", has=page.get_by_role("heading", name=heading, exact=True))
    return card.locator(".lb-value")


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
    latest = last_night()
    expect(figure(page, "Händelser")).to_have_text(incidents_in(latest - timedelta(days=6), latest))
    expect(figure(page, "Samtal till nattknappen")).to_have_text("7")
    shoot(page, "lagesbild-seven-nights")

    # htmx swaps the figures for the week and then for one area; the address follows.
    page.locator("label.lb-period-choice", has_text="Vecka").click()
    expect(page.locator(".lb-period-label")).to_contain_text("Vecka")
    expect(page).to_have_url(re.compile(r"period=week"))
    page.get_by_label("Område", exact=True).select_option(label="Centrum")
    expect(page.locator(".lb-period-label")).to_contain_text("Centrum")
    expect(page).to_have_url(re.compile(r"area=\d+"))
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    centrum = Area.objects.get(name="Centrum")
    monday = latest - timedelta(days=latest.weekday())
    expect(figure(page, "Händelser")).to_have_text(incidents_in(monday, latest, centrum))
    shoot(page, "lagesbild-week-centrum")

    page.get_by_role("link", name="Perioden före").click()
    expect(page.locator(".lb-period-label")).not_to_contain_text("hittills")
    week_before = incidents_in(monday - timedelta(days=7), monday - timedelta(days=1), centrum)
    expect(figure(page, "Händelser")).to_have_text(week_before)

    page.get_by_role("link", name="Rapport för utskrift").click()
    expect(page.get_by_role("button", name="Skriv ut eller spara som PDF")).to_be_visible()
    expect(page.locator(".lb-report-head h1")).to_contain_text("Vecka")
    expect(figure(page, "Händelser")).to_have_text(week_before)
    expect(page.locator("#lb-map .lb-bubble").first).to_be_visible()
    shoot(page, "lagesbild-report")
    page.emulate_media(media="print")
    expect(page.locator(".lb-report-toolbar")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()


def test_the_lagesbild_at_night_in_the_dark_theme(new_page, persona):
    fortnight(persona("host"))
    page = new_page(color_scheme="dark")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    sign_in(page, persona("partner").username)
    page.goto("/lagesbild/?period=month")
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    expect(page.locator("text=Avvikelser vid byggnaderna")).to_have_count(0)
    latest = last_night()
    expect(figure(page, "Händelser")).to_have_text(incidents_in(latest.replace(day=1), latest))

    assert_drawn_dark(page, ".lb-kpi", ".lb-period-choice span")
    # The trend is drawn in the theme's own primary colour, the light blue of the dark theme.
    primary = page.evaluate(
        "() => { const probe = document.createElement('span');"
        " probe.style.color = 'var(--primary)'; document.body.append(probe);"
        " const colour = getComputedStyle(probe).color; probe.remove(); return colour; }"
    )
    assert luminance(primary) > 0.3, primary
    assert primary in drawn_colours(page.locator("#lb-trend canvas"))
    shoot(page, "lagesbild-partner-month-dark")


def drawn_colours(canvas) -> set[str]:
    """The opaque colours painted on a canvas, as `rgb(r, g, b)` like getComputedStyle's."""
    return set(
        canvas.evaluate(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " const seen = new Set(); for (let i = 0; i < d.length; i += 4)"
            " if (d[i + 3] === 255) seen.add(`rgb(${d[i]}, ${d[i + 1]}, ${d[i + 2]})`);"
            " return [...seen]; }"
        )
    )


def chart_images_outside(pdf: bytes) -> list[str]:
    """The drawn charts (images larger than the blank map tiles) that reach beyond the printed
    area of their page (A4 less the 12 mm margins)."""
    margin = 12 / 25.4 * 72 - 1  # points, less a point of rounding
    outside = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        charts = [
            (number, image, page)
            for number, page in enumerate(document.pages, start=1)
            for image in page.images
            if image["srcsize"][0] > 1
        ]
        assert len(charts) >= 2, "the trend and the night-button chart"
        for number, image, page in charts:
            if image["x0"] < margin or image["x1"] > page.width - margin:
                outside.append(f"page {number}: {image['x0']:.0f}–{image['x1']:.0f}")
    return outside


def est_record(chief) -> str:
    """The week's assessment, actions agreed for it and actions of the week before to follow up
    (one of them done): the report's last pages. Returns the assessment's text."""
    week = week_of(last_night())
    text = (
        "Skadegörelsen kring Resecentrum ökar fredag och lördag kväll, framför allt vid "
        "cykelgaraget och i gångtunneln under Västerleden. Lugnare i Råbyhöjden. " * 3
    ).strip()
    assessment = AssessmentFactory(first=week.first, text=text, written_by=chief)
    earlier = AssessmentFactory(first=week.first - timedelta(days=7), written_by=chief)
    owners: list[dict[str, Any]] = [
        {},
        {"department": DepartmentFactory()},
        {"organisation": OrganisationFactory()},
    ]
    for n in range(4):
        ActionFactory(
            assessment=assessment,
            what=f"Byta belysning och sanera klotter i gångtunnel {n} under Västerleden",
            area=Area.objects.get(name="Centrum"),
            **owners[n % 3],
        )
    for n in range(3):
        action = ActionFactory.create(assessment=earlier, what=f"Kvällsnärvaro vid Resecentrum {n}")
        if n == 0:
            action_update(
                action=action,
                status=ActionStatus.DONE,
                outcome="Närvaro fredag och lördag 21–23 i tre veckor; färre larm efter stängning.",
            )
    return text


def test_the_report_prints_on_a4_from_any_window(new_page, persona):
    """The charts are drawn for the window; printed, each fits its card on the A4 page. From a
    window just too narrow for the report's two columns (760 px), the nightly chart was drawn
    700 px wide and printed past the page's edge, cut after five of seven nights. The week's
    assessment and actions follow the figures, inside the page too."""
    fortnight(persona("host"))
    assessment = est_record(persona("chief"))
    for viewport in (DESK, {"width": 760, "height": 900}, PHONE):
        page = new_page(viewport=viewport)
        sign_in(page, persona("chief").username)
        page.goto("/lagesbild/report/?period=week")
        expect(page.locator("#lb-trend canvas")).to_have_count(1)
        expect(page.locator("#lb-night-button canvas")).to_have_count(1)
        pdf = page.pdf(format="A4", print_background=True)
        assert chart_images_outside(pdf) == [], viewport
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            assert len(document.pages) <= 5
            # A4 is 595 × 842 points; Chromium rounds it up a point.
            assert all(abs(p.width - 595) < 2 and abs(p.height - 842) < 2 for p in document.pages)
            words = [word for p in document.pages for word in p.extract_words()]
            text = " ".join(word["text"] for word in words)
            assert " ".join(assessment.split()[:12]) in text, viewport
            # The actions' cells wrap on paper: their words are there.
            assert {"gångtunnel", "Västerleden", "stängning."} <= set(text.split()), viewport
            # Every word of the record is on the paper, none past the margins.
            outside = [w["text"] for w in words if w["x0"] < 30 or w["x1"] > 595 - 30]
            assert outside == [], (viewport, outside[:5])
        page.close()


def test_a_tertial_is_charted_by_week_number(new_page, persona):
    fortnight(persona("host"))
    page = new_page(viewport=DESK)
    sign_in(page, persona("chief").username)
    page.goto("/lagesbild/?period=tertial")
    expect(page.locator("#lb-trend canvas")).to_have_count(1)
    trend = page.evaluate("JSON.parse(document.getElementById('lb-data').textContent).trend")
    first = date.fromisoformat(trend["labels"][0])
    assert first.weekday() == 0  # a Monday: the week, not the tertial's first night
    assert trend["ticks"][0] == f"v. {first.isocalendar().week}"
    latest = last_night()
    assert trend["ticks"][-1] == f"v. {latest.isocalendar().week}"


def test_the_lagesbild_has_no_serious_accessibility_violation(new_page, persona):
    fortnight(persona("host"))
    # bypass_csp lets the test inject axe-core; the app's own pages run under the strict policy.
    page = new_page(viewport=DESK, bypass_csp=True)
    sign_in(page, persona("chief").username)
    for url in ("/lagesbild/", "/lagesbild/?period=month", "/lagesbild/report/"):
        page.goto(url)
        expect(page.locator("#lb-map .lb-bubble").first).to_be_visible()
        assert serious_accessibility_violations(page) == [], url
    # The wide category × area table scrolls: it takes the focus, so a keyboard can scroll it.
    page.goto("/lagesbild/")
    scroller = page.locator(".lb-matrix-wrap")
    expect(scroller).to_have_attribute("tabindex", "0")
    expect(scroller).to_have_attribute("role", "region")
    scroller.focus()
    expect(scroller).to_be_focused()
