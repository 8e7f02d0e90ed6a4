"""The demo EST group: the police, a housing company and the security company, each with its own
names for the kinds of event it reports, and a year of weekly reports in the municipality's
categories: more on Friday and Saturday nights and in the summer, a few weeks never reported,
the last two weeks still open and every week before them closed by the chief.

Runs after the incidents demo and uses its areas and categories. Deterministic (its own random
generator, seeded from the demo's seed) and safe to run again: organisations, mappings and weeks
that exist are left as they are, and only missing weeks are written."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Least

from incidents.models import Category
from patrols.models import Area
from trygghet.accounts.models import Organisation, OrganisationKind, User
from trygghet.core.demodata import DemoContext
from trygghet.partners.assessments import demo as assessments_demo
from trygghet.partners.closing import latest_ended_week
from trygghet.partners.models import (
    CategoryMapping,
    ClosedWeek,
    ReportRow,
    ReportSource,
    WeeklyReport,
)

WEEKS = 52
# The last weeks that ended are still open for corrections; every week before them is closed.
OPEN_WEEKS = 2
# Weekly reports come in on the Tuesday morning after the week.
REPORTED_AFTER = timedelta(days=8, hours=8)


@dataclass(frozen=True)
class Partner:
    name: str
    kind: OrganisationKind
    email: str
    source: ReportSource
    # Their name for a kind of event: (our category's code, events per ordinary weeknight).
    reports: dict[str, tuple[str, float]]
    # Every how many weeks they forget to report (0: never), and whether they have not yet
    # reported the week that ended last.
    misses_every: int = 0
    late_last_week: bool = False
    # A share of the areas (every area when None).
    area_share: float | None = None


PARTNERS = [
    Partner(
        "Polisen, lokalpolisområde Centrum",
        OrganisationKind.POLICE,
        "est.centrum@polisen.example.se",
        ReportSource.FORM,
        {
            "Skadegörelse": ("vandalism", 0.9),
            "Ordningsstörning": ("disturbance", 0.8),
            "Narkotikabrott": ("drug_dealing", 0.3),
            "Misshandel": ("violence", 0.25),
            "Inbrott": ("burglary", 0.2),
            "Trafik (EPA, moped)": ("reckless_driving", 0.4),
        },
        misses_every=17,
    ),
    Partner(
        "Bostadsbolaget Hem AB",
        OrganisationKind.HOUSING_COMPANY,
        "trygghet@hem.example.se",
        ReportSource.UPLOAD,
        {
            "Klotter": ("graffiti", 1.2),
            "Nedskräpning i trapphus": ("littering", 1.0),
            "Skadegörelse": ("vandalism", 0.6),
            "Störning": ("disturbance", 0.5),
            "Brand i soprum": ("fire", 0.1),
            "Trasig belysning": ("unsafe_place", 0.3),
        },
        misses_every=9,
        late_last_week=True,
        area_share=0.5,
    ),
    Partner(
        "Securitas Bevakning",
        OrganisationKind.SECURITY_COMPANY,
        "est@securitas.example.se",
        ReportSource.API,
        {
            "Larm skadegörelse": ("vandalism", 0.5),
            "Ordningsstörning": ("disturbance", 0.6),
            "Klotter": ("graffiti", 0.7),
            "Folksamling": ("crowd", 0.9),
            "Nedskräpning": ("littering", 0.5),
        },
        misses_every=13,
    ),
]

SEASON = {6: 1.6, 7: 1.7, 8: 1.5, 5: 1.2, 9: 1.2, 12: 0.8, 1: 0.7, 2: 0.7}
NOTES = ["", "", "", "Upprepat på samma plats.", "Anmält.", "Åtgärdat dagen efter."]


def night_weight(night: date) -> float:
    weekend = 2.5 if night.weekday() in (4, 5) else 1.0
    return weekend * SEASON.get(night.month, 1.0)


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's way: fine for the small means of one night)."""
    limit, count, product = 2.718281828459045**-mean, 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _organisation(partner: Partner, areas: list[Area]) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        name=partner.name,
        defaults={
            "kind": partner.kind,
            "contact_email": partner.email,
            "all_areas": partner.area_share is None,
        },
    )
    if created and partner.area_share is not None:
        chosen = areas[: max(1, round(len(areas) * partner.area_share))]
        organisation.areas.add(*chosen)
    for their_name, (code, _rate) in partner.reports.items():
        category = Category.objects.filter(code=code).first()
        if category is not None:
            CategoryMapping.objects.get_or_create(
                organisation=organisation,
                their_name=their_name,
                defaults={"category": category},
            )
    return organisation


def _rows(
    rng: random.Random, partner: Partner, week: date, areas: list[Area], categories: dict
) -> list[ReportRow]:
    rows = []
    for night in (week + timedelta(days=n) for n in range(7)):
        for their_name, (code, rate) in partner.reports.items():
            count = _count(rng, rate * night_weight(night))
            if not count or code not in categories:
                continue
            # A night's count is split over the areas it happened in.
            for area in rng.sample(areas, min(len(areas), rng.randint(1, 2))):
                share = count if len(areas) == 1 else max(1, round(count * rng.uniform(0.3, 1)))
                rows.append(
                    ReportRow(
                        night=night,
                        category=categories[code],
                        area=area,
                        count=share,
                        note=their_name if rng.random() < 0.2 else rng.choice(NOTES),
                    )
                )
    return rows


def build(ctx: DemoContext) -> None:
    areas = list(Area.objects.active().order_by("name"))
    chief = User.objects.filter(username="chef").first()
    if not areas or chief is None:
        return
    rng = random.Random(ctx.seed + 17)
    categories = {category.code: category for category in Category.objects.all()}
    last_week = latest_ended_week()
    weeks = [last_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    reports, rows = [], []
    for partner in PARTNERS:
        organisation = _organisation(partner, areas)
        their_areas = areas if organisation.all_areas else list(organisation.areas.order_by("name"))
        submitter = organisation.members.order_by("pk").first() or chief
        done = set(organisation.weekly_reports.values_list("week", flat=True))
        for index, week in enumerate(weeks):
            # The generator runs through every week, written or not, so a second run draws
            # the same numbers for the weeks still missing.
            week_rows = _rows(rng, partner, week, their_areas or areas, categories)
            missed = partner.misses_every and index % partner.misses_every == 5
            late = partner.late_last_week and week == weeks[-1]
            if week in done or missed or late or not week_rows:
                continue
            reports.append(
                WeeklyReport(
                    organisation=organisation,
                    week=week,
                    source=partner.source,
                    submitted_by=submitter,
                )
            )
            rows.append(week_rows)
    WeeklyReport.objects.bulk_create(reports)
    for report, week_rows in zip(reports, rows, strict=True):
        for row in week_rows:
            row.report = report
    written = ReportRow.objects.bulk_create([row for week_rows in rows for row in week_rows])
    # As if each came in on the Tuesday after its week (or just now, for the week just ended).
    came_in = Least(
        ExpressionWrapper(F("week") + REPORTED_AFTER, output_field=DateTimeField()),
        Value(ctx.now, output_field=DateTimeField()),
    )
    WeeklyReport.objects.filter(pk__in=[report.pk for report in reports]).update(
        submitted_at=came_in, updated_at=came_in
    )
    ClosedWeek.objects.bulk_create(
        [ClosedWeek(week=week, closed_by=chief) for week in weeks[:-OPEN_WEEKS]],
        ignore_conflicts=True,
    )
    ctx.say(
        f"Partner organisations: {Organisation.objects.count()}, weekly reports: "
        f"{WeeklyReport.objects.count()} ({len(written)} new rows), closed weeks: "
        f"{ClosedWeek.objects.count()}"
    )
    # The group's record reads the weeks just reported, so it is written after them.
    assessments_demo.build(ctx)
