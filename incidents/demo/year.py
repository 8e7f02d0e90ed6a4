"""The year's incidents, written with COPY in batches so a million take minutes, and what SQL
derives from them (calls for help, follow-ups, the contacts behind them). The bulk of the demo
and its only part that must scale, so its weights and row-making stay together."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from shapely import prepared
from shapely.geometry import Point, shape

from incidents.demo.shifts import DAYS, Shifts
from incidents.models import (
    Category,
    CitizenContact,
    Escalation,
    FollowUp,
    Incident,
    ServiceNumber,
)
from patrols.geo import AreaLocator
from patrols.models import Area, Shift
from trygghet.accounts.models import User
from trygghet.core.demodata import DemoContext
from trygghet.core.time import local_tz, night_starts_at

BATCH = 20_000

# code: relative frequency in the hosts' log
CATEGORY_WEIGHTS = {
    "dialogue": 30,
    "littering": 14,
    "graffiti": 12,
    "crowd": 12,
    "vandalism": 9,
    "unsafe_place": 7,
    "disturbance": 5,
    "reckless_driving": 4,
    "suspected_crime": 3,
    "drug_dealing": 2,
    "other": 4,
    "medical": 2,
    "violence": 1.5,
    "fire": 1,
    "burglary": 1,
    "threat_to_staff": 0.5,
}
# Local hour of the evening or night: weight (hours after midnight belong to the night before).
HOUR_WEIGHTS = {17: 2, 18: 4, 19: 6, 20: 8, 21: 10, 22: 11, 23: 10, 0: 8, 1: 6, 2: 4, 3: 1}
SOURCES = [
    ("own_observation", 80),
    ("citizen_call", 10),
    ("property_check", 4),
    ("partner", 4),
    ("night_button", 2),
]
DESCRIPTIONS = {
    "damage": ["Krossad ruta vid entrén.", "Sönderslagen papperskorg.", "Sparkad dörr, bucklig."],
    "graffiti": ["Nytt klotter på muren.", "Tags på elskåpet.", "Klotter på busskuren."],
    "littering": ["Mycket skräp kvar efter kvällen.", "Glasflaskor på lekplatsen."],
    "crowd": ["Grupp ungdomar, hög musik.", "Folksamling vid kiosken, lugnt efter samtal."],
    "unsafe_place": ["Trasig belysning på gångvägen.", "Buskage skymmer sikten vid tunneln."],
    "dialogue": ["Pratade med ungdomar om kvällen.", "Samtal med boende om oro i området."],
    "order": ["Bråk mellan två personer, löst på plats.", "Stök vid entrén."],
    "reckless_driving": ["Mopeder i hög fart på gångvägen.", "A-traktorer kör runt på torget."],
    "drugs": ["Misstänkt överlämning vid parkeringen."],
    "violence": ["Hot mellan personer, polis larmad."],
    "burglary": ["Uppbruten dörr till förråd."],
    "fire": ["Brand i papperskorg, släckt."],
    "medical": ["Person mådde dåligt, ambulans larmad."],
    "threat_to_staff": ["Värdarna blev hotade, lämnade platsen."],
    "other": ["Övrig iakttagelse."],
}
PEOPLE = ["Grupp ungdomar, 15–17 år.", "Två vuxna män.", "En kvinna i 40-årsåldern.", ""]


def _day_weights(today: date) -> tuple[list[date], list[float]]:
    days, weights = [], []
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        weight = 2.5 if day.weekday() in (4, 5) else 1.0
        weight *= {6: 1.6, 7: 1.7, 8: 1.5, 5: 1.2, 9: 1.2}.get(day.month, 1.0)
        days.append(day)
        weights.append(weight)
    return days, weights


class _Places:
    """Points inside the areas, gathered around a few hotspots per area."""

    def __init__(self, rng: random.Random, areas: list[Area]):
        self.rng = rng
        self.areas = areas
        self.shapes = [prepared.prep(shape(area.boundary)) for area in areas]
        self.bounds = [shape(area.boundary).bounds for area in areas]
        self.weights = [rng.uniform(0.5, 3.0) for _ in areas]
        self.hotspots = [
            [self._inside(i) for _ in range(rng.randint(2, 4))] for i in range(len(areas))
        ]

    def _inside(self, index: int) -> tuple[float, float]:
        west, south, east, north = self.bounds[index]
        for _ in range(200):
            lon, lat = self.rng.uniform(west, east), self.rng.uniform(south, north)
            if self.shapes[index].covers(Point(lon, lat)):
                return lon, lat
        return (west + east) / 2, (south + north) / 2

    def pick(self) -> tuple[int, float, float]:
        index = self.rng.choices(range(len(self.areas)), self.weights)[0]
        lon0, lat0 = self.rng.choice(self.hotspots[index])
        for _ in range(5):
            lon = lon0 + self.rng.gauss(0, 0.0008)
            lat = lat0 + self.rng.gauss(0, 0.0005)
            if self.shapes[index].covers(Point(lon, lat)):
                return index, lon, lat
        return index, lon0, lat0


COLUMNS = [
    "occurred_at",
    "reported_by_id",
    "shift_id",
    "category_id",
    "severity",
    "latitude",
    "longitude",
    "area_id",
    "place_text",
    "description",
    "people_count",
    "people_involved",
    "source",
    "state",
    "created_at",
    "updated_at",
]


def write_incidents(ctx, todo: int, areas: list[Area], shifts: Shifts, hosts: list[User]) -> None:
    rng = ctx.rng
    tz = local_tz()
    categories = {c.code: c for c in Category.objects.all()}
    codes = [code for code in CATEGORY_WEIGHTS if code in categories]
    code_weights = [CATEGORY_WEIGHTS[code] for code in codes]
    hours, hour_weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
    sources, source_weights = zip(*SOURCES, strict=True)
    days, day_weights = _day_weights(ctx.now.astimezone(tz).date())
    places = _Places(rng, areas)
    locator = AreaLocator(areas)  # one locator for the whole load, never a query per row
    recent = ctx.now - timedelta(days=30)
    batches = range(0, todo, BATCH)
    table = Incident._meta.db_table
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
    # An hour before the night's start is the next morning of the night drawn.
    night_starts = night_starts_at().hour
    with connection.cursor() as cursor:
        for first in ctx.progress(batches, total=len(batches), label="Incidents"):
            size = min(BATCH, todo - first)
            night_days = rng.choices(days, day_weights, k=size)
            night_hours = rng.choices(hours, hour_weights, k=size)
            picked = rng.choices(codes, code_weights, k=size)
            with cursor.cursor.copy(sql) as copy:
                for day, hour, code in zip(night_days, night_hours, picked, strict=True):
                    if hour < night_starts:
                        day += timedelta(days=1)
                    local = datetime(
                        day.year,
                        day.month,
                        day.day,
                        hour,
                        rng.randrange(60),
                        rng.randrange(60),
                        tzinfo=tz,
                    )
                    when = local.astimezone(UTC)
                    if when > ctx.now:
                        when = ctx.now - timedelta(minutes=rng.randrange(1, 600))
                    copy.write_row(
                        _row(
                            rng,
                            when,
                            categories[code],
                            places,
                            locator,
                            shifts,
                            hosts,
                            recent,
                            sources,
                            source_weights,
                            ctx.now,
                        )
                    )


def _row(rng, when, category, places, locator, shifts, hosts, recent, sources, source_weights, now):
    worked = shifts.at(when)
    shift_id, host_id = (worked[0], worked[1]) if worked else (None, rng.choice(hosts).pk)
    index, lon, lat = places.pick()
    if rng.random() < 0.12:
        lat = lon = None
        area = places.areas[index]
        place_text = f"Vid {area.name.lower()}"
    else:
        area = locator.locate(lat=lat, lon=lon)
        place_text = ""
    severity = min(3, category.default_severity + (1 if rng.random() < 0.08 else 0))
    if when < recent:
        state = rng.choices(["closed", "in_progress", "new"], [70, 8, 22])[0]
    else:
        state = rng.choices(["new", "in_progress", "closed"], [70, 20, 10])[0]
    texts = DESCRIPTIONS.get(category.group, DESCRIPTIONS["other"])
    crowd = category.group in ("crowd", "order", "dialogue")
    return (
        when,
        host_id,
        shift_id,
        category.pk,
        severity,
        None if lat is None else Decimal(f"{lat:.6f}"),
        None if lon is None else Decimal(f"{lon:.6f}"),
        area.pk if area else None,
        place_text,
        rng.choice(texts) if rng.random() < 0.7 else "",
        rng.randint(2, 25) if crowd and rng.random() < 0.6 else None,
        rng.choice(PEOPLE) if crowd else "",
        rng.choices(sources, source_weights)[0],
        state,
        *_logged(rng, when, now),
    )


def _logged(rng, when: datetime, now: datetime) -> tuple[datetime, datetime]:
    """When the host logged it and last changed it: after it happened, the change after the
    logging, neither after the demo's now."""
    created = min(when + timedelta(minutes=rng.randint(1, 20)), now)
    return created, min(created + timedelta(minutes=rng.randint(0, 20)), now)


def derive_from_incidents(ctx: DemoContext, *, after_id: int, chief: User) -> None:
    """Calls for help, follow-up steps and the citizen contacts behind incidents, made in SQL
    from the incidents just written."""
    seed = (ctx.seed % 1000) / 1000
    incident = Incident._meta.db_table
    category = Category._meta.db_table
    numbers = {n.service: n.pk for n in ServiceNumber.objects.order_by("position")}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            f"""
            INSERT INTO {Escalation._meta.db_table}
                (incident_id, service, service_number_id, called_at, arrived_at, reference, note,
                 recorded_by_id, created_at)
            SELECT i.id, s.service,
                   CASE s.service WHEN 'police' THEN %(police)s WHEN 'ambulance' THEN %(ambulance)s
                        WHEN 'rescue' THEN %(rescue)s WHEN 'security' THEN %(security)s
                        WHEN 'streets_on_call' THEN %(streets)s ELSE %(social)s END,
                   LEAST(i.occurred_at + interval '2 minutes', %(now)s),
                   CASE WHEN random() < 0.85
                        THEN LEAST(i.occurred_at + (8 + floor(random() * 30)) * interval '1 minute',
                                   %(now)s) END,
                   CASE WHEN s.service = 'police' AND random() < 0.6
                        THEN '5000-K' || (100000 + floor(random() * 899999))::int || '-'
                             || to_char(i.occurred_at, 'YY') ELSE '' END,
                   '', i.reported_by_id, LEAST(i.occurred_at + interval '3 minutes', %(now)s)
            FROM {incident} i
            JOIN {category} c ON c.id = i.category_id
            CROSS JOIN LATERAL (SELECT CASE
                WHEN c."group" = 'fire' THEN 'rescue'
                WHEN c."group" = 'medical' THEN 'ambulance'
                WHEN c."group" IN ('violence', 'burglary', 'drugs', 'threat_to_staff') THEN 'police'
                WHEN c."group" IN ('damage', 'order') THEN 'security'
                WHEN c."group" IN ('graffiti', 'littering') THEN 'streets_on_call'
                ELSE 'social_on_call' END AS service) s
            WHERE i.id > %(after)s AND (
                (c.default_severity = 3 AND random() < 0.7) OR (c.default_severity < 3 AND random() < 0.03))
            """,
            {
                "after": after_id,
                "police": numbers.get("police"),
                "ambulance": numbers.get("ambulance"),
                "rescue": numbers.get("rescue"),
                "security": numbers.get("security"),
                "streets": numbers.get("streets_on_call"),
                "social": numbers.get("social_on_call"),
                "now": ctx.now,
            },
        )
        cursor.execute(
            f"""
            INSERT INTO {FollowUp._meta.db_table} (incident_id, state, note, by_id, at)
            SELECT id, 'in_progress', 'Kontakt tagen med berörd förvaltning.', %(chief)s,
                   LEAST(occurred_at + interval '14 hours', %(now)s)
            FROM {incident} WHERE id > %(after)s AND state IN ('in_progress', 'closed')
            UNION ALL
            SELECT id, 'closed', 'Åtgärdat.', %(chief)s, LEAST(occurred_at + interval '3 days', %(now)s)
            FROM {incident} WHERE id > %(after)s AND state = 'closed'
            """,
            {"after": after_id, "chief": chief.pk, "now": ctx.now},
        )
        cursor.execute(
            f"""
            INSERT INTO {CitizenContact._meta.db_table}
                (received_at, channel, phone_line_id, category_id, reason, contact_details, outcome,
                 incident_id, recorded_by_id, shift_id, created_at)
            SELECT i.occurred_at - interval '4 minutes', 'phone', s.phone_line_id, i.category_id,
                   'Invånare ringde och berättade.', '', 'became_incident', i.id, i.reported_by_id,
                   i.shift_id, i.occurred_at
            FROM {incident} i LEFT JOIN {Shift._meta.db_table} s ON s.id = i.shift_id
            WHERE i.id > %(after)s AND i.source = 'citizen_call'
            """,
            {"after": after_id},
        )
