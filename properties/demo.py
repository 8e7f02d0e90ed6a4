"""Demo property register: municipal buildings around the map centre with believable closing
hours, and months of checks on the shifts the patrols demo worked, with deviations in every
state of their follow-up."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from patrols.models import Shift, ShiftHost, ShiftState
from patrols.services import shift_plan
from properties.models import (
    CLOSING_FIELDS,
    ActionTaken,
    ChecklistItem,
    Deviation,
    DeviationState,
    DeviationStep,
    Property,
    PropertyCheck,
)
from trygghet.accounts.models import Department, User
from trygghet.accounts.roles import GROUP_NAMES, Role
from trygghet.core.demodata import DemoContext
from trygghet.core.follow_up import TRANSITIONS
from trygghet.core.time import localize, operational_night

EDUCATION = "Utbildningsförvaltningen"
CULTURE = "Kultur- och fritidsförvaltningen"
SOCIAL = "Socialförvaltningen"
CENTRAL = "Kommunledningsförvaltningen"
PLANNING = "Samhällsbyggnadsförvaltningen"

# Districts as offsets (km east, km north) from the map centre.
DISTRICTS = {
    "Centrum": (0.0, 0.0),
    "Bäckby": (-3.6, 1.9),
    "Råby": (-2.8, 0.4),
    "Skallberget": (-1.6, 2.6),
    "Vallby": (-2.4, 3.3),
    "Hammarby": (2.2, 2.1),
    "Önsta-Gryta": (1.5, 3.6),
    "Malmaberg": (-0.9, 1.9),
    "Viksäng": (-2.2, -1.4),
    "Hamre": (-4.2, -0.6),
    "Skiljebo": (1.1, 1.3),
    "Kristiansborg": (2.9, -0.3),
    "Gideonsberg": (0.6, 2.4),
    "Pettersberg": (-0.3, 1.0),
    "Erikslund": (4.3, 1.8),
}

H = time  # closing times read like the register: H(22) is 22:00
# Closing time Monday…Sunday per kind of building (None: closed all day).
HOURS: dict[str, list[time | None]] = {
    "school": [H(17), H(17), H(17), H(17), H(16, 30), None, None],
    "preschool": [H(18), H(18), H(18), H(18), H(17, 30), None, None],
    "sports_hall": [H(22), H(22), H(22), H(22), H(21), H(18), H(20)],
    "library": [H(19), H(19), H(19), H(19), H(17), H(15), None],
    "central_library": [H(20), H(20), H(20), H(20), H(18), H(16), H(16)],
    "youth_centre": [None, H(21), H(21), H(21), H(23, 30), H(1), None],
    "office": [H(17), H(17), H(17), H(17), H(16), None, None],
    "swimming": [H(20), H(21), H(20), H(21), H(19), H(16), H(16)],
    "culture_house": [None, H(22), H(22), H(22), H(23), H(23), H(17)],
    "meeting_point": [H(16), H(16), H(20), H(16), H(15), None, None],
    "depot": [H(16), H(16), H(16), H(16), H(15), None, None],
}

# name, kind, district, department, priority (1 high, 3 low)
BUILDINGS = [
    ("Vallbyskolan", "school", "Vallby", EDUCATION, 2),
    ("Bäckbyskolan", "school", "Bäckby", EDUCATION, 1),
    ("Råbyskolan", "school", "Råby", EDUCATION, 1),
    ("Skallbergsskolan", "school", "Skallberget", EDUCATION, 2),
    ("Hammarbyskolan", "school", "Hammarby", EDUCATION, 2),
    ("Önsta-Gryta skola", "school", "Önsta-Gryta", EDUCATION, 2),
    ("Malmabergsskolan", "school", "Malmaberg", EDUCATION, 3),
    ("Viksängsskolan", "school", "Viksäng", EDUCATION, 2),
    ("Skiljeboskolan", "school", "Skiljebo", EDUCATION, 3),
    ("Kristiansborgsskolan", "school", "Kristiansborg", EDUCATION, 2),
    ("Gideonsbergsskolan", "school", "Gideonsberg", EDUCATION, 3),
    ("Rudbeckianska gymnasiet", "school", "Centrum", EDUCATION, 2),
    ("Wenströmska gymnasiet", "school", "Pettersberg", EDUCATION, 2),
    ("Förskolan Solrosen", "preschool", "Bäckby", EDUCATION, 2),
    ("Förskolan Lönnen", "preschool", "Råby", EDUCATION, 3),
    ("Förskolan Myran", "preschool", "Vallby", EDUCATION, 3),
    ("Förskolan Tallkotten", "preschool", "Skallberget", EDUCATION, 3),
    ("Förskolan Regnbågen", "preschool", "Hammarby", EDUCATION, 3),
    ("Förskolan Ekorren", "preschool", "Viksäng", EDUCATION, 3),
    ("Förskolan Humlan", "preschool", "Hamre", EDUCATION, 3),
    ("Förskolan Stjärnan", "preschool", "Gideonsberg", EDUCATION, 3),
    ("Förskolan Kotten", "preschool", "Erikslund", EDUCATION, 3),
    ("Bäckby sporthall", "sports_hall", "Bäckby", CULTURE, 1),
    ("Råby idrottshall", "sports_hall", "Råby", CULTURE, 1),
    ("Vallby sporthall", "sports_hall", "Vallby", CULTURE, 2),
    ("Hammarby idrottshall", "sports_hall", "Hammarby", CULTURE, 2),
    ("Viksängshallen", "sports_hall", "Viksäng", CULTURE, 2),
    ("Kristiansborgshallen", "sports_hall", "Kristiansborg", CULTURE, 3),
    ("Skallbergshallen", "sports_hall", "Skallberget", CULTURE, 2),
    ("Stadsbiblioteket", "central_library", "Centrum", CULTURE, 2),
    ("Bäckby bibliotek", "library", "Bäckby", CULTURE, 1),
    ("Råby bibliotek", "library", "Råby", CULTURE, 2),
    ("Hammarby bibliotek", "library", "Hammarby", CULTURE, 3),
    ("Skallbergets bibliotek", "library", "Skallberget", CULTURE, 2),
    ("Önsta-Gryta bibliotek", "library", "Önsta-Gryta", CULTURE, 3),
    ("Fritidsgården Bäckby", "youth_centre", "Bäckby", CULTURE, 1),
    ("Fritidsgården Råby", "youth_centre", "Råby", CULTURE, 1),
    ("Fritidsgården Skallberget", "youth_centre", "Skallberget", CULTURE, 1),
    ("Fritidsgården Hammarby", "youth_centre", "Hammarby", CULTURE, 2),
    ("Ungdomens hus", "youth_centre", "Centrum", CULTURE, 1),
    ("Kulturhuset", "culture_house", "Centrum", CULTURE, 2),
    ("Lögarängsbadet", "swimming", "Kristiansborg", CULTURE, 2),
    ("Kokpunkten simhall", "swimming", "Centrum", CULTURE, 2),
    ("Träffpunkt Bäckby", "meeting_point", "Bäckby", SOCIAL, 2),
    ("Träffpunkt Råby", "meeting_point", "Råby", SOCIAL, 2),
    ("Socialkontoret", "office", "Centrum", SOCIAL, 3),
    ("Familjecentralen Skallberget", "meeting_point", "Skallberget", SOCIAL, 2),
    ("Stadshuset", "office", "Centrum", CENTRAL, 2),
    ("Medborgarkontoret Bäckby", "office", "Bäckby", CENTRAL, 2),
    ("Kontaktcenter", "office", "Pettersberg", CENTRAL, 3),
    ("Förrådet Hamre", "depot", "Hamre", PLANNING, 3),
    ("Parkdepån Erikslund", "depot", "Erikslund", PLANNING, 3),
    ("Miljö- och byggkontoret", "office", "Centrum", PLANNING, 3),
]

STREETS = [
    "Skolgatan",
    "Idrottsvägen",
    "Biblioteksgatan",
    "Torggatan",
    "Björkvägen",
    "Lärkgatan",
    "Ringvägen",
    "Allégatan",
    "Parkgatan",
    "Kyrkogatan",
]
ACCESS_NOTES = [
    "Nyckel {n} i nyckelskåpet i bilen. Larmet kvitteras på panelen vid entrén (kod hos vaktbolaget).",
    "Huvudentrén mot parkeringen. Taggbricka {n} öppnar personalingången på baksidan.",
    "Vaktmästaren nås på jourtelefonen före 22. Nyckel {n}; larmzon 2 omfattar gymnastiksalen.",
    "Gå in via lastkajen. Nyckel {n}. Rörelselarm i korridoren — ring vaktbolaget innan du går in.",
]
RESOLUTION_NOTES = [
    "Låset bytt av fastighetsjouren.",
    "Klottret sanerat av entreprenören.",
    "Fönstret lagat och glaset bytt.",
    "Personalen påmind om att låsa efter kvällsaktiviteten.",
    "Skadan anmäld till försäkringen och lagad.",
    "Larmet servat, fel på dörrkontakten åtgärdat.",
]
DESCRIPTIONS = {
    ChecklistItem.LOCKED: "Dörren vid idrottssalen stod olåst.",
    ChecklistItem.WINDOWS: "Ett fönster på bottenvåningen stod på glänt.",
    ChecklistItem.LIGHTS: "Belysningen tänd i flera klassrum.",
    ChecklistItem.ALARM: "Larmpanelen visade frånkopplat larm.",
    ChecklistItem.DAMAGE: "Krossad ruta i entrédörren.",
    ChecklistItem.GRAFFITI: "Nytt klotter på gaveln mot cykelstället.",
    ChecklistItem.INTRUSION: "Bändmärken vid bakdörren.",
}
ACTIONS_FOR = {
    ChecklistItem.LOCKED: [ActionTaken.LOCKED],
    ChecklistItem.WINDOWS: [ActionTaken.SECURED],
    ChecklistItem.LIGHTS: [ActionTaken.LIGHTS_OFF],
    ChecklistItem.ALARM: [ActionTaken.CALLED_SECURITY],
    ChecklistItem.DAMAGE: [ActionTaken.CALLED_ON_CALL],
    ChecklistItem.GRAFFITI: [ActionTaken.REPORTED_ONLY],
    ChecklistItem.INTRUSION: [ActionTaken.CALLED_POLICE, ActionTaken.CALLED_SECURITY],
}
FAULT_WEIGHTS = {
    ChecklistItem.LOCKED: 35,
    ChecklistItem.GRAFFITI: 20,
    ChecklistItem.DAMAGE: 15,
    ChecklistItem.WINDOWS: 10,
    ChecklistItem.LIGHTS: 10,
    ChecklistItem.ALARM: 5,
    ChecklistItem.INTRUSION: 5,
}
DEVIATION_RATE = 0.07
KM_PER_DEGREE_LAT = 111.2


def build(ctx: DemoContext) -> None:
    buildings = _register(ctx)
    if PropertyCheck.objects.exists():
        ctx.say("Property checks: already made.")
        return
    shifts = _worked_shifts(ctx)
    _checks(ctx, buildings, shifts)


def _register(ctx: DemoContext) -> list[Property]:
    departments = {d.name: d for d in Department.objects.all()}
    lat0, lon0 = settings.MAP_CENTER[0], settings.MAP_CENTER[1]
    km_per_degree_lon = KM_PER_DEGREE_LAT * 0.5057  # cos(59.6°)
    year = ctx.now.year
    holidays = [date(year, 12, 24), date(year, 12, 25), date(year, 12, 31), date(year + 1, 1, 1)]
    buildings = []
    for n, (name, kind, district, department_name, priority) in enumerate(BUILDINGS):
        department = departments.get(department_name)
        if department is None:
            continue
        east, north = DISTRICTS[district]
        east += ctx.rng.uniform(-0.45, 0.45)
        north += ctx.rng.uniform(-0.35, 0.35)
        checklist = list(ChecklistItem.values)
        if kind == "preschool":
            checklist.remove(ChecklistItem.ALARM)
        building, _created = Property.objects.get_or_create(
            name=name,
            defaults={
                "address": f"{STREETS[n % len(STREETS)]} {ctx.rng.randint(1, 60)}, {district}",
                "latitude": Decimal(f"{lat0 + north / KM_PER_DEGREE_LAT:.6f}"),
                "longitude": Decimal(f"{lon0 + east / km_per_degree_lon:.6f}"),
                "department": department,
                "priority": priority,
                **dict(zip(CLOSING_FIELDS, HOURS[kind], strict=True)),
                "closed_dates": holidays if kind in ("school", "preschool", "office") else [],
                "checklist": checklist,
                "contact_email": (
                    f"vaktmastare.{n}@example.se" if kind in ("school", "sports_hall") else ""
                ),
                "access_notes": ACCESS_NOTES[n % len(ACCESS_NOTES)].format(n=100 + n),
            },
        )
        buildings.append(building)
    ctx.say(f"Properties: {len(buildings)} buildings in the register.")
    return buildings


def _worked_shifts(ctx: DemoContext) -> list[Shift]:
    """The closed shifts the hosts have worked; a few of our own when there are none yet."""
    shifts = list(
        Shift.objects.filter(state=ShiftState.CLOSED, actual_start__isnull=False)
        .exclude(actual_end__isnull=True)
        .order_by("actual_start")
    )
    if shifts:
        return shifts
    hosts = list(User.objects.filter(groups__name=GROUP_NAMES[Role.HOST]).order_by("username")[:2])
    if not hosts:
        return []
    tonight = operational_night(ctx.now)
    made = []
    # Thursday, Friday and Saturday evenings of the last seven weeks, 19:00 to 03:00.
    for days_ago in range(49, 0, -1):
        night = tonight - timedelta(days=days_ago)
        if night.weekday() not in (3, 4, 5):
            continue
        start = localize(night, time(19))
        end = localize(night + timedelta(days=1), time(3))
        try:
            shift = shift_plan(planned_start=start, planned_end=end, hosts=hosts)
        except ValidationError:
            continue  # the hosts already have a shift that night
        shift.state = ShiftState.CLOSED
        shift.actual_start, shift.actual_end = start, end
        shift.summary = "Lugnt pass, fastighetsrond genomförd."
        shift.save(update_fields=["state", "actual_start", "actual_end", "summary"])
        made.append(shift)
    ctx.say(f"Properties: made {len(made)} shifts to check buildings on (no worked shifts yet).")
    return made


def _checks(ctx: DemoContext, buildings: list[Property], shifts: list[Shift]) -> None:
    if not buildings or not shifts:
        return
    rng = ctx.rng
    hosts_of: dict[int, list[int]] = {}
    for shift_id, host_id in ShiftHost.objects.filter(
        shift__in=shifts, cancelled=False
    ).values_list("shift_id", "host_id"):
        hosts_of.setdefault(shift_id, []).append(host_id)
    owners = {
        user.department_id: user
        for user in User.objects.filter(
            groups__name=GROUP_NAMES[Role.PROPERTY_OWNER], department__isnull=False
        )
    }
    chief = User.objects.filter(groups__name=GROUP_NAMES[Role.CHIEF]).order_by("pk").first()
    checks, faults = [], []
    for shift in ctx.progress(shifts, total=len(shifts), label="Checking buildings"):
        hosts = hosts_of.get(shift.pk)
        if not hosts:
            continue
        night = operational_night(shift.start)
        hours = (shift.end - shift.start).total_seconds() / 3600
        visits = rng.sample(buildings, k=min(len(buildings), max(2, int(hours * 1.3))))
        for building in visits:
            earliest = max(shift.start, building.due_from(night))
            if earliest >= shift.end:
                continue
            checked_at = _between(rng, earliest, shift.end)
            failed = []
            if rng.random() < DEVIATION_RATE:
                items = [item for item in FAULT_WEIGHTS if item in building.checklist]
                weights = [FAULT_WEIGHTS[item] for item in items]
                failed = sorted(set(rng.choices(items, weights=weights, k=rng.choice((1, 1, 2)))))
            checks.append(
                PropertyCheck(
                    property=building,
                    shift=shift,
                    checked_by_id=rng.choice(hosts),
                    checked_at=checked_at,
                    results={item: item not in failed for item in building.checklist},
                    ok=not failed,
                )
            )
            faults.append(failed)
    PropertyCheck.objects.bulk_create(checks, batch_size=2000)

    deviations, steps = [], []
    for check, failed in zip(checks, faults, strict=True):
        if not failed:
            continue
        deviation = Deviation(
            property_check=check,
            property=check.property,
            found_at=check.checked_at,
            items=failed,
            description=" ".join(DESCRIPTIONS[item] for item in failed),
            actions=sorted({action for item in failed for action in ACTIONS_FOR[item]}),
            notified_at=check.checked_at + timedelta(seconds=5),
        )
        owner = owners.get(check.property.department_id, chief)
        deviation_steps = _follow_up(ctx, deviation, check.checked_by_id, owner)
        deviations.append(deviation)
        steps.append(deviation_steps)
    Deviation.objects.bulk_create(deviations, batch_size=2000)
    DeviationStep.objects.bulk_create([step for group in steps for step in group], batch_size=2000)
    ctx.say(f"Property checks: {len(checks)}, of which {len(deviations)} found deviations.")


def _follow_up(ctx: DemoContext, deviation: Deviation, host_id: int, owner: User | None):
    """A believable follow-up: old deviations are mostly resolved, new ones mostly open."""
    rng = ctx.rng
    age = (ctx.now - deviation.found_at).days
    if age > 30:
        weights = (5, 10, 85)
    elif age > 7:
        weights = (20, 30, 50)
    else:
        weights = (55, 30, 15)
    target = rng.choices(list(DeviationState), weights=weights)[0]
    steps = [
        DeviationStep(
            deviation=deviation,
            from_state="",
            state=DeviationState.OPEN,
            at=deviation.found_at,
            by_id=host_id,
        )
    ]
    at = deviation.found_at
    state = DeviationState.OPEN
    while state != target and owner is not None:
        # Acknowledged within a day or so; resolved after days.
        hours = rng.uniform(2, 30) if state == DeviationState.OPEN else rng.uniform(12, 240)
        at = min(at + timedelta(hours=hours), ctx.now)
        state = DeviationState(TRANSITIONS[state])
        note = rng.choice(RESOLUTION_NOTES) if state == DeviationState.RESOLVED else ""
        steps.append(
            DeviationStep(
                deviation=deviation,
                from_state=steps[-1].state,
                state=state,
                at=at,
                by=owner,
                note=note,
            )
        )
    deviation.state = state
    deviation.resolved_at = at if state == DeviationState.RESOLVED else None
    return steps


def _between(rng, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()
