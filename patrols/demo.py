"""The demo town's patrols: areas around the map centre, the chief's assignments, two cars,
half a year of evening and night shifts with their visits, and tonight's shift for vard1 and
vard2, ready to be started. Safe to run again: what exists is kept."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from patrols.geo import METRES_PER_DEGREE, validate_boundary
from patrols.models import (
    Area,
    AreaKind,
    AreaVersion,
    Assignment,
    ConsultedWith,
    PhoneLine,
    Priority,
    Shift,
    ShiftHost,
    ShiftState,
    Vehicle,
    Visit,
)
from patrols.selectors import windows_on_night
from patrols.services import MAX_SHIFT, shift_plan
from trygghet.accounts.models import User
from trygghet.core.demodata import DemoContext
from trygghet.core.time import DailyWindow, night_bounds, operational_night

HISTORY_DAYS = 182

# name, kind, metres east and north of the map centre, radius in metres, why it matters
AREAS = [
    ("Stortorget", AreaKind.CENTRE, 0, 0, 90, "Torget med krogarna; bråk vid stängning."),
    ("Centrumgallerian", AreaKind.CENTRE, 150, -260, 80, "Entréerna mot busstorget kvällstid."),
    ("Resecentrum", AreaKind.TRANSPORT_HUB, -150, -650, 150, "Tåg och regionbussar; ungdomsgäng."),
    ("Parkeringshuset Kvarnen", AreaKind.CAR_PARK, 260, 220, 60, "Skadegörelse och mopeder."),
    ("Pendlarparkeringen Norra Bangården", AreaKind.CAR_PARK, 320, -720, 90, "Bilinbrott."),
    ("Stadsparken", AreaKind.PARK, -520, 160, 220, "Mörka gångvägar, misstänkt langning."),
    ("Lillåparken", AreaKind.PARK, 900, 900, 200, "Ungdomsfester längs ån sommartid."),
    ("Björkhagen", AreaKind.RESIDENTIAL, 1800, 1500, 450, "Radhusområde med inbrottsvåg."),
    ("Råbyhöjden", AreaKind.RESIDENTIAL, -1900, 1700, 500, "Gångtunnlar som upplevs otrygga."),
    ("Kvarnbacken", AreaKind.RESIDENTIAL, 2400, -300, 400, "Flerbostadshus, anlagda bränder."),
    ("Östra Malmaberg", AreaKind.RESIDENTIAL, 3300, 1100, 500, "Oro kring källarförråd."),
    ("Solängens centrum", AreaKind.CENTRE, -2600, -900, 150, "Hot mot butikspersonal."),
    ("Ekbackeskolan", AreaKind.SCHOOL, 1200, 2300, 120, "Skadegörelse på skolgården helger."),
    ("Vallbyskolan", AreaKind.SCHOOL, -1500, 300, 130, "Inbrott i paviljongerna."),
    ("Gästhamnen", AreaKind.OTHER, 600, -2000, 250, "Båtplatser och strandpromenad."),
    ("Norrlidens sporthall", AreaKind.OTHER, 400, 2900, 200, "Samlingsplats efter träningar."),
]

FRIDAY_SATURDAY = [4, 5]
# area, priority, weekdays, window, consulted with, reason, months ago it started, months it ran
ASSIGNMENTS = [
    ("Resecentrum", Priority.HIGH, FRIDAY_SATURDAY, "21:00-23:00", ConsultedWith.POLICE,
     "Ansamlingar av ungdomar och rån mot enskilda under hösten. Synlig närvaro när de sista "
     "regionbussarna går.", 6, None),
    ("Stortorget", Priority.HIGH, FRIDAY_SATURDAY, "23:30-02:30", ConsultedWith.POLICE,
     "Bråk och berusade personer vid krogstängning.", 6, None),
    ("Björkhagen", Priority.HIGH, [0, 1, 2, 3], "18:15-19:45", ConsultedWith.POLICE,
     "Inbrottsvåg i radhusen; polisen ber om synlig närvaro tidig kväll.", 3, None),
    ("Parkeringshuset Kvarnen", Priority.NORMAL, [3, 4, 5], "20:00-21:00", ConsultedWith.POLICE,
     "Skadegörelse och mopedåkning i parkeringshuset.", 5, None),
    ("Stadsparken", Priority.NORMAL, FRIDAY_SATURDAY, "22:00-23:30", ConsultedWith.POLICE,
     "Misstänkt narkotikaförsäljning vid lekplatsen (lägesbild vecka 38).", 4, None),
    ("Råbyhöjden", Priority.NORMAL, [0, 1, 2, 3, 6], "21:00-22:00", ConsultedWith.OTHER,
     "Boende upplever oro vid gångtunnlarna; samråd med bostadsbolaget.", 6, None),
    ("Solängens centrum", Priority.NORMAL, [1, 2, 3], "20:00-20:45", ConsultedWith.POLICE,
     "Hot mot personal i butikerna vid stängning.", 2, None),
    ("Pendlarparkeringen Norra Bangården", Priority.NORMAL, [0, 1, 2, 3], "22:15-23:15",
     ConsultedWith.POLICE, "Bilinbrott på pendlarparkeringen.", 5, None),
    ("Ekbackeskolan", Priority.LOW, [4, 5, 6], "19:00-20:00", ConsultedWith.RESCUE,
     "Anlagda bränder och skadegörelse på skolgården under helger.", 4, None),
    ("Lillåparken", Priority.LOW, [5], "21:00-01:00", ConsultedWith.POLICE,
     "Ungdomsfester längs ån under sommarlovet.", 6, 2),
    ("Vallbyskolan", Priority.LOW, [0, 2], "19:45-20:30", ConsultedWith.POLICE,
     "Inbrott i skolans paviljonger.", 5, 1),
]  # fmt: skip

VEHICLES = [("KMV 28H", "Trygghetsbil 1"), ("NRT 51C", "Trygghetsbil 2")]

SUMMARIES = [
    "Lugnt pass. Pratade med ungdomar vid resecentrum, inga incidenter.",
    "Många rörelser vid torget efter stängning; polisen tog över ett bråk vid 01.30.",
    "Fönster krossat på Vallbyskolan, anmält till fastighetsjouren.",
    "Blött och lugnt. Kollade parkeringshusen två gånger.",
    "Följde en person hem via nattknappen. Mopedgäng i Kvarnen, pratade med dem.",
    "Gott samtalsklimat i Björkhagen, boende tackade för närvaron.",
    "Larm från skolan, allt i ordning vid kontroll.",
]


def _polygon(ctx: DemoContext, east: float, north: float, radius: float) -> dict:
    """An irregular polygon around a point: corners at increasing angles, so it never crosses
    itself."""
    lat0, lon0, _zoom = settings.MAP_CENTER
    metres_per_lon = METRES_PER_DEGREE * math.cos(math.radians(lat0))
    corners = ctx.rng.randint(6, 9)
    ring = []
    for n in range(corners):
        angle = 2 * math.pi * (n + ctx.rng.uniform(-0.25, 0.25)) / corners
        r = radius * ctx.rng.uniform(0.75, 1.15)
        ring.append(
            [
                round(lon0 + (east + r * math.cos(angle)) / metres_per_lon, 6),
                round(lat0 + (north + r * math.sin(angle)) / METRES_PER_DEGREE, 6),
            ]
        )
    ring.append(ring[0])
    return validate_boundary({"type": "Polygon", "coordinates": [ring]})


def _areas(ctx: DemoContext) -> dict[str, Area]:
    existing = {area.name: area for area in Area.objects.all()}
    new = [
        Area(name=name, kind=kind, boundary=_polygon(ctx, east, north, radius), notes=notes)
        for name, kind, east, north, radius, notes in AREAS
        if name not in existing
    ]
    Area.objects.bulk_create(new)
    first_drawn = ctx.now - timedelta(days=HISTORY_DAYS + 14)
    AreaVersion.objects.bulk_create(
        AreaVersion(area=area, number=1, boundary=area.boundary, created_at=first_drawn)
        for area in new
    )
    areas = existing | {area.name: area for area in new}
    if "Stadsparken" in {area.name for area in new}:
        _widen(ctx, areas["Stadsparken"])
    return areas


def _widen(ctx: DemoContext, area: Area) -> None:
    """One boundary with a history: the park was widened after the police consultation, so the
    area's page shows two versions and the map can show it as it was."""
    name, _kind, east, north, radius, _notes = next(row for row in AREAS if row[0] == area.name)
    area.boundary = _polygon(ctx, east + 60, north, radius * 1.3)
    area.save(update_fields=["boundary"])
    AreaVersion.objects.create(
        area=area,
        number=2,
        boundary=area.boundary,
        created_at=ctx.now - timedelta(days=60),
        changed_by=User.objects.filter(username="chef").first(),
        reason="Utvidgad mot gångvägen efter samråd med kommunpolisen (lägesbild vecka 38).",
    )


def _assignments(ctx: DemoContext, areas: dict[str, Area], chief: User) -> list[Assignment]:
    if Assignment.objects.exists():
        return list(Assignment.objects.select_related("area"))
    today = timezone.localdate(ctx.now)
    made = []
    for name, priority, weekdays, window, consulted, reason, started, ran in ASSIGNMENTS:
        hours = DailyWindow.parse(window)
        valid_from = today - timedelta(days=30 * started)
        made.append(
            Assignment(
                area=areas[name],
                reason=reason,
                priority=priority,
                valid_from=valid_from,
                valid_to=valid_from + timedelta(days=30 * ran) if ran else None,
                weekdays=weekdays,
                start_time=hours.start,
                end_time=hours.end,
                consulted_with=consulted,
                consulted_on=valid_from - timedelta(days=ctx.rng.randint(2, 12)),
                consultation_note="Samråd i EST-gruppen med lokalpolisområdet."
                if consulted == ConsultedWith.POLICE
                else "",
                created_by=chief,
            )
        )
    return Assignment.objects.bulk_create(made)


def _car_hours(car: int, night: date) -> DailyWindow | None:
    """When each car is out on a night: car 1 most evenings, longer at weekends; car 2 on
    Friday and Saturday nights."""
    weekend = night.weekday() in FRIDAY_SATURDAY
    if car == 1:
        return DailyWindow(time(20), time(3)) if weekend else DailyWindow(time(18), time(0))
    return DailyWindow(time(21), time(3)) if weekend else None


def _history(ctx, areas, assignments, hosts, vehicles, lines, first: date, last: date) -> None:
    shifts, rows, plans = [], [], []
    odometers = {1: 18_400, 2: 9_650}  # the cars' logbooks, night after night
    for night in ctx.progress(
        (first + timedelta(days=n) for n in range((last - first).days + 1)),
        total=(last - first).days + 1,
        label="Shifts",
    ):
        crew = ctx.rng.sample(hosts, len(hosts))
        for car in (1, 2):
            hours = _car_hours(car, night)
            if hours is None or (car == 1 and ctx.rng.random() < 0.12):
                continue
            start, end = hours.on(night)
            cancelled = ctx.rng.random() < 0.03
            shift = Shift(
                planned_start=start,
                planned_end=end,
                vehicle=vehicles[car - 1],
                phone_line=lines[car - 1],
                state=ShiftState.CANCELLED if cancelled else ShiftState.CLOSED,
                created_by=None,
            )
            if not cancelled:
                shift.actual_start = start + timedelta(minutes=ctx.rng.randint(-10, 10))
                shift.actual_end = min(end + timedelta(minutes=ctx.rng.randint(-20, 25)), ctx.now)
                shift.summary = ctx.rng.choice(SUMMARIES)
                shift.odometer_start = odometers[car]
                odometers[car] += ctx.rng.randint(35, 110)
                shift.odometer_end = odometers[car]
            shift.period = DateTimeTZRange(shift.start, shift.end)
            pair = crew[2 * (car - 1) : 2 * car]
            shifts.append(shift)
            plans.append((shift, pair, night, cancelled))
    Shift.objects.bulk_create(shifts)
    visits = []
    for shift, pair, night, cancelled in plans:
        rows += [
            ShiftHost(shift=shift, host=h, period=shift.period, cancelled=cancelled) for h in pair
        ]
        if not cancelled:
            visits += _visits(ctx, shift, pair, night, areas, assignments)
    ShiftHost.objects.bulk_create(rows)
    Visit.objects.bulk_create(visits)
    ctx.say(f"Patrols: {len(shifts)} shifts and {len(visits)} visits.")


def _visits(ctx, shift, pair, night, areas, assignments) -> list[Visit]:
    """A night's round: mostly where an assignment's window is open, the urgent ones most, and
    now and then somewhere else on the way."""
    windows = [
        (assignment, start, end)
        for assignment in assignments
        for start, end in windows_on_night(assignment, night)
    ]
    all_areas = list(areas.values())
    moment = shift.actual_start + timedelta(minutes=ctx.rng.randint(5, 20))
    visits = []
    while moment < shift.actual_end - timedelta(minutes=30):
        open_now = [(a, e) for a, s, e in windows if s <= moment < e]
        if open_now and ctx.rng.random() < 0.95:
            assignment, until = ctx.rng.choices(
                open_now, weights=[{1: 6, 2: 3, 3: 1}[a.priority] for a, _e in open_now]
            )[0]
            area, stay = assignment.area, until - moment
            stay += timedelta(minutes=ctx.rng.randint(-15, 10))
        else:
            area, stay = ctx.rng.choice(all_areas), timedelta(minutes=ctx.rng.randint(15, 40))
        left = min(moment + max(stay, timedelta(minutes=10)), shift.actual_end)
        visits.append(
            Visit(
                shift=shift,
                area=area,
                arrived_at=moment,
                left_at=left,
                dialogues=ctx.rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 6]),
                recorded_by=ctx.rng.choice(pair),
            )
        )
        moment = left + timedelta(minutes=ctx.rng.randint(4, 15))
    return visits


def _tonight_night(now: datetime) -> date:
    """The night whose first car has not finished yet."""
    night = operational_night(now)
    window = _car_hours(1, night)
    assert window is not None  # car 1 is out every night
    _start, end = window.on(night)
    return night if end > now else night + timedelta(days=1)


def _tonight(ctx, hosts, vehicles, lines) -> None:
    """Tonight's shift for vard1 and vard2, so a demo host can start it: tonight's usual hours,
    begun earlier when the demo runs in the daytime."""
    now = ctx.now
    night = _tonight_night(now)
    window = _car_hours(1, night)
    assert window is not None  # car 1 is out every night
    start, end = window.on(night)
    hour = now.replace(minute=0, second=0, microsecond=0)
    # Begun earlier in the daytime, to try the app, but never before the night it is listed
    # for starts (noon): a shift from 10:00 would be the previous night's and show that night's
    # areas. In the morning it can still be started early, from START_EARLY before noon.
    start = max(min(start, hour), end - MAX_SHIFT, night_bounds(night)[0])
    pair = [host for host in hosts if host.username in ("vard1", "vard2")]
    if Shift.objects.for_host(pair[0]).filter(planned_end__gt=now).exists():
        return
    try:
        shift_plan(
            planned_start=start,
            planned_end=end,
            hosts=pair,
            vehicle=vehicles[0],
            phone_line=lines[0],
        )
    except ValidationError:
        return


def build(ctx: DemoContext) -> None:
    areas = _areas(ctx)
    chief = User.objects.get(username="chef")
    assignments = _assignments(ctx, areas, chief)
    vehicles = [
        Vehicle.objects.get_or_create(registration=reg, defaults={"name": name})[0]
        for reg, name in VEHICLES
    ]
    if not Assignment.objects.filter(vehicle__isnull=False).exists():
        # The burglary wave is car 1's own round: its phone lists Björkhagen first.
        Assignment.objects.filter(area__name="Björkhagen").update(vehicle=vehicles[0])
    lines = list(PhoneLine.objects.filter(night_button=True).order_by("number")[:2])
    hosts = list(
        User.objects.filter(username__in=["vard1", "vard2", "vard3", "vard4"]).order_by("username")
    )
    last = _tonight_night(ctx.now) - timedelta(days=1)
    if not Shift.objects.filter(state=ShiftState.CLOSED).exists():
        first = last - timedelta(days=HISTORY_DAYS)
        _history(ctx, areas, assignments, hosts, vehicles, lines, first, last)
    _tonight(ctx, hosts, vehicles, lines)
