"""The stage the demo log is played on: the areas and the worked shifts, taken from the patrols
demo or, without it, made here. Kept apart because both the year's incidents and the calls and
contacts look up the shift a moment falls in."""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, time, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from patrols.models import Area, AreaKind, PhoneLine, Shift, ShiftHost, ShiftState
from trygghet.accounts.models import User
from trygghet.core.demodata import DemoContext
from trygghet.core.time import local_tz

# The demo log covers the past year, night by night.
DAYS = 365

# (name, kind, south-west corner as lon/lat offsets from the map centre, size in degrees)
FALLBACK_AREAS = [
    ("Stationsområdet", AreaKind.TRANSPORT_HUB, (-0.004, -0.006), (0.008, 0.005)),
    ("Stora torget", AreaKind.CENTRE, (0.000, 0.001), (0.006, 0.004)),
    ("Norra parken", AreaKind.PARK, (-0.010, 0.008), (0.009, 0.006)),
    ("Östra bostadsområdet", AreaKind.RESIDENTIAL, (0.012, 0.000), (0.012, 0.008)),
    ("Vallbyskolan", AreaKind.SCHOOL, (-0.020, -0.004), (0.006, 0.004)),
    ("Parkeringshuset Kvarnen", AreaKind.CAR_PARK, (0.006, -0.008), (0.004, 0.003)),
]


def make_areas(ctx: DemoContext) -> list[Area]:
    from django.conf import settings

    lat0, lon0, _zoom = settings.MAP_CENTER
    areas = []
    for name, kind, (dx, dy), (w, h) in FALLBACK_AREAS:
        lon, lat = lon0 + dx, lat0 + dy
        ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
        areas.append(
            Area.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "boundary": {"type": "Polygon", "coordinates": [ring]}},
            )[0]
        )
    ctx.say(f"Made {len(areas)} demo areas for the incidents.")
    return areas


class Shifts:
    """Worked shifts sorted by start, to find the one an incident time falls in."""

    def __init__(self, rows: list[tuple[datetime, datetime, int, int, int | None]]):
        self.rows = sorted(rows)
        self.starts = [row[0] for row in self.rows]

    def at(self, moment: datetime) -> tuple[int, int, int | None] | None:
        index = bisect_right(self.starts, moment) - 1
        if index >= 0:
            start, end, shift_id, host_id, line_id = self.rows[index]
            if moment < end:
                return shift_id, host_id, line_id
        return None


def worked_shifts(ctx: DemoContext, hosts: list[User], lines: list[PhoneLine]) -> Shifts:
    worked = Shift.objects.filter(state__in=[ShiftState.CLOSED, ShiftState.ACTIVE])
    if not worked.exists() and not ShiftHost.objects.exists():
        _make_shifts(ctx, hosts, lines)
    rows = []
    for shift in worked.prefetch_related("shift_hosts"):
        shift_hosts = [sh.host_id for sh in shift.shift_hosts.all() if not sh.cancelled]
        if shift_hosts:
            end = shift.actual_end or max(shift.planned_end, ctx.now)
            rows.append(
                (
                    shift.start.astimezone(UTC),
                    end.astimezone(UTC),
                    shift.pk,
                    shift_hosts[0],
                    shift.phone_line_id,
                )
            )
    return Shifts(rows)


def _make_shifts(ctx: DemoContext, hosts: list[User], lines: list[PhoneLine]) -> None:
    """A closed evening shift (17:00–03:00) for every night of the past year, two hosts in the
    car, taking turns."""
    today = ctx.now.astimezone(local_tz()).date()
    pairs = [hosts[i : i + 2] for i in range(0, len(hosts), 2)] or [hosts]
    shifts, periods = [], []
    for offset in range(DAYS, 0, -1):
        night = today - timedelta(days=offset)
        start = datetime.combine(night, time(17), tzinfo=local_tz()).astimezone(UTC)
        end = datetime.combine(night + timedelta(days=1), time(3), tzinfo=local_tz()).astimezone(
            UTC
        )
        shifts.append(
            Shift(
                planned_start=start,
                planned_end=end,
                actual_start=start,
                actual_end=end,
                period=DateTimeTZRange(start, end),
                state=ShiftState.CLOSED,
                phone_line=lines[offset % len(lines)] if lines else None,
                summary="Demo",
            )
        )
        periods.append((pairs[offset % len(pairs)], DateTimeTZRange(start, end)))
    Shift.objects.bulk_create(shifts)
    ShiftHost.objects.bulk_create(
        ShiftHost(shift=shift, host=host, period=period)
        for shift, (pair, period) in zip(shifts, periods, strict=True)
        for host in pair
    )
    ctx.say(f"Made {len(shifts)} demo shifts for the incidents.")
