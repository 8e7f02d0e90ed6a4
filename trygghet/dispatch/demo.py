"""Demo call-outs: months of them on the shifts the patrols demo worked, with believable times
(a car within minutes for the urgent ones, longer for the rest, more on Friday and Saturday
nights) and every step as a row. Some come from the residents' calls the incidents demo logged,
some from property alarms at the register's buildings; some became incidents, a few were
called off or handed to another car. Two wait on the board tonight. Safe to run again: nothing
is made when call-outs exist."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from incidents.models import CitizenContact, Incident
from patrols.geo import AreaLocator
from patrols.models import Area, Priority, Shift, ShiftState
from properties.models import Property
from trygghet.accounts.models import User
from trygghet.core.demodata import DemoContext
from trygghet.core.time import local_tz
from trygghet.dispatch.models import (
    DispatchRequest,
    DispatchStep,
    Outcome,
    Source,
    State,
)

SOURCES = [
    (Source.CITIZEN_CONTACT, 30),
    (Source.PARTNER, 20),
    (Source.PROPERTY_ALARM, 20),
    (Source.CHIEF, 20),
    (Source.NIGHT_BUTTON, 10),
]
PRIORITIES = [(Priority.HIGH, 25), (Priority.NORMAL, 55), (Priority.LOW, 20)]
OUTCOMES = [
    (Outcome.HANDLED, 45),
    (Outcome.NOTHING_FOUND, 25),
    (Outcome.REFERRED, 12),
    (Outcome.INCIDENT, 18),
]
WHAT = {
    Source.CITIZEN_CONTACT: [
        "Boende ringer om stök i trapphuset",
        "Ungdomar samlas vid lekplatsen",
        "Hög musik från parkeringen",
        "Person som verkar må dåligt vid busskuren",
    ],
    Source.PARTNER: [
        "Polisen ber oss titta till {area}",
        "Väktarbolaget: person sover i entrén",
        "Räddningstjänsten: håll koll efter brand i container",
    ],
    Source.PROPERTY_ALARM: [
        "Larm: öppen dörr på {place}",
        "Inbrottslarm på {place}",
        "Rörelselarm i {place}",
    ],
    Source.CHIEF: [
        "Titta till {area} efter stängning",
        "Mopedgäng rapporterat vid {area}",
        "Krossad belysning vid {area}",
    ],
    Source.NIGHT_BUTTON: [
        "Nattknappen: möt upp en person vid {area}",
        "Nattknappen: följ en person hem från {area}",
    ],
}
# Minutes from the request to a car: the median by priority (the spread is log-normal).
TO_CAR = {Priority.HIGH: 2, Priority.NORMAL: 5, Priority.LOW: 11}
TRAVEL = {Priority.HIGH: 6, Priority.NORMAL: 10, Priority.LOW: 14}
CONTACT_OUTCOMES = {
    "handled": [Outcome.HANDLED, Outcome.NOTHING_FOUND],
    "referred_police": [Outcome.REFERRED],
    "referred_112": [Outcome.REFERRED],
    "referred_other": [Outcome.REFERRED],
}


def build(ctx: DemoContext) -> None:
    chief = User.objects.filter(username="chef").first()
    if chief is None or DispatchRequest.objects.exists():
        return
    shifts = list(
        Shift.objects.filter(state=ShiftState.CLOSED, actual_end__lte=ctx.now)
        .select_related("vehicle")
        .prefetch_related("shift_hosts")
        .order_by("actual_start")
    )
    maker = _Maker(ctx, chief)
    for shift in ctx.progress(shifts, total=len(shifts), label="Call-outs"):
        maker.night(shift)
    maker.waiting_tonight()
    maker.save()
    ctx.say(
        f"Dispatch: {DispatchRequest.objects.count()} call-outs, "
        f"{DispatchStep.objects.count()} steps."
    )


class _Maker:
    def __init__(self, ctx: DemoContext, chief: User):
        self.ctx, self.rng, self.chief = ctx, ctx.rng, chief
        self.areas = list(Area.objects.active())
        self.locator = AreaLocator(self.areas)
        self.properties = list(Property.objects.active())
        self.incidents = defaultdict(list)
        for row in Incident.objects.filter(shift__isnull=False).values_list(
            "shift_id", "pk", "occurred_at", "latitude", "longitude", "category_id"
        ):
            self.incidents[row[0]].append(row[1:])
        self.contacts = defaultdict(list)
        for contact in CitizenContact.objects.filter(
            shift__isnull=False, incident__isnull=True, outcome__in=list(CONTACT_OUTCOMES)
        ).only("pk", "shift_id", "received_at", "outcome", "category_id"):
            self.contacts[contact.shift_id].append(contact)
        self.requests: list[DispatchRequest] = []
        self.steps: list[list[DispatchStep]] = []

    def night(self, shift: Shift) -> None:
        crew = [row.host_id for row in shift.shift_hosts.all() if not row.cancelled]
        if not crew:
            return
        busy = shift.start.astimezone(local_tz()).weekday() in (4, 5)
        count = self.rng.choices([0, 1, 2, 3, 4], [2, 4, 3, 2, 1] if busy else [5, 4, 2, 1, 0])[0]
        span = (shift.end - shift.start).total_seconds()
        for _ in range(count):
            offset = self.rng.uniform(0.05, 0.8) * span
            self.call_out(shift, crew, shift.start + timedelta(seconds=offset))

    def call_out(self, shift: Shift, crew: list[int], requested: datetime) -> None:
        rng = self.rng
        source = rng.choices(*zip(*SOURCES, strict=True))[0]
        priority = rng.choices(*zip(*PRIORITIES, strict=True))[0]
        request = DispatchRequest(
            source=source,
            priority=priority,
            requested_at=requested,
            requested_by=self.chief,
            category_id=None,
        )
        contact = self._contact(shift) if source == Source.CITIZEN_CONTACT else None
        if contact is not None:
            # Sent out a few minutes after the call came in.
            requested = contact.received_at + timedelta(minutes=rng.uniform(1, 8))
            request.requested_at = requested
        self._place(request, shift)
        if contact is not None:
            request.citizen_contact = contact
            request.category_id = contact.category_id
        area = request.area.name if request.area else "centrum"
        place = request.property.name if request.property else area
        request.what = rng.choice(WHAT[source]).format(area=area, place=place)
        steps = [self._step(request, 1, "", State.REQUESTED, requested, self.chief.pk)]
        moment = requested
        host = rng.choice(crew)

        def add(to: str, minutes: float, by: int, **fields) -> None:
            nonlocal moment
            moment = moment + timedelta(minutes=max(0.2, minutes))
            steps.append(
                self._step(request, len(steps) + 1, steps[-1].state, to, moment, by, **fields)
            )

        median = TO_CAR[priority]
        if rng.random() < 0.02:
            # Nobody free in time: called off before a car went.
            add(State.CANCELLED, rng.lognormvariate(0, 0.5) * median * 3, self.chief.pk)
        else:
            add(State.DISPATCHED, rng.lognormvariate(0, 0.6) * median, self.chief.pk, shift=shift)
            if rng.random() < 0.04:
                # Taken back and sent again when the car was free.
                add(State.REQUESTED, rng.uniform(2, 6), self.chief.pk)
                add(State.DISPATCHED, rng.uniform(3, 12), self.chief.pk, shift=shift)
            add(State.ACKNOWLEDGED, rng.uniform(0.3, 3), host, shift=shift)
            if rng.random() < 0.02:
                add(State.CANCELLED, rng.uniform(2, 8), self.chief.pk, shift=shift)
            else:
                add(
                    State.ON_SCENE, rng.lognormvariate(0, 0.4) * TRAVEL[priority], host, shift=shift
                )
                outcome, incident = self._outcome(request, shift, moment, contact)
                request.incident_id = incident
                add(
                    State.CLEARED,
                    rng.uniform(8, 45),
                    host,
                    shift=shift,
                    outcome=outcome,
                )
        if moment > min(shift.end, self.ctx.now):
            return  # ran past the shift: leave it out rather than bend the times
        last = steps[-1]
        request.state, request.version, request.state_at = last.state, last.number, last.at
        request.shift = last.shift
        request.outcome = last.outcome
        if request.state != State.CLEARED or request.outcome != Outcome.INCIDENT:
            request.incident_id = None
        self.requests.append(request)
        self.steps.append(steps)

    def _step(self, request, number, source, to, at, by, *, shift=None, outcome=""):
        return DispatchStep(
            request=request,
            number=number,
            from_state=source,
            state=to,
            at=at,
            by_id=by,
            shift=shift,
            outcome=outcome,
        )

    def _contact(self, shift: Shift) -> CitizenContact | None:
        """A resident's call logged on the shift that no call-out was made for yet."""
        if not self.contacts[shift.pk]:
            return None
        contact = self.rng.choice(self.contacts[shift.pk])
        self.contacts[shift.pk].remove(contact)
        return contact

    def _place(self, request: DispatchRequest, shift: Shift) -> None:
        """A property alarm at a building; otherwise where the hosts' log says things happen."""
        rng = self.rng
        if request.source == Source.PROPERTY_ALARM and self.properties:
            building = rng.choice(self.properties)
            request.property = building
            lat, lon = float(building.latitude), float(building.longitude)
            request.place_text = building.address
        else:
            positioned = [row for row in self.incidents[shift.pk] if row[2] is not None]
            if not positioned:
                return
            _pk, _at, lat, lon, _category = rng.choice(positioned)
            assert lat is not None and lon is not None  # an incident has both or neither
            lat, lon = float(lat) + rng.gauss(0, 0.0003), float(lon) + rng.gauss(0, 0.0005)
        request.latitude = Decimal(f"{lat:.6f}")
        request.longitude = Decimal(f"{lon:.6f}")
        request.area = self.locator.locate(lat=lat, lon=lon)

    def _outcome(self, request, shift, on_scene, contact) -> tuple[str, int | None]:
        """The outcome; "became an incident" links the crew's incident logged on scene."""
        if contact is not None:
            return self.rng.choice(CONTACT_OUTCOMES[contact.outcome]), None
        outcome = self.rng.choices(*zip(*OUTCOMES, strict=True))[0]
        if outcome != Outcome.INCIDENT:
            return outcome, None
        nearby = [
            row
            for row in self.incidents[shift.pk]
            if on_scene <= row[1] <= on_scene + timedelta(minutes=60)
        ]
        if not nearby:
            return Outcome.HANDLED, None
        pk, _at, _lat, _lon, category = self.rng.choice(nearby)
        request.category_id = category
        return Outcome.INCIDENT, pk

    def waiting_tonight(self) -> None:
        """Two call-outs on the board now, waiting for a car."""
        now = self.ctx.now
        for minutes, priority, source, what in [
            (4, Priority.HIGH, Source.PARTNER, "Polisen ber oss titta till Resecentrum: gäng"),
            (11, Priority.NORMAL, Source.PROPERTY_ALARM, "Larm: öppen dörr på {place}"),
        ]:
            at = now - timedelta(minutes=minutes)
            request = DispatchRequest(
                source=source,
                priority=priority,
                requested_at=at,
                requested_by=self.chief,
                state=State.REQUESTED,
                version=1,
                state_at=at,
            )
            if source == Source.PROPERTY_ALARM and self.properties:
                building = self.properties[0]
                request.property, request.place_text = building, building.address
                request.latitude, request.longitude = building.latitude, building.longitude
                request.area = self.locator.locate(
                    lat=float(building.latitude), lon=float(building.longitude)
                )
            else:
                request.area = next((a for a in self.areas if a.name == "Resecentrum"), None)
                request.place_text = "Busstorget vid Resecentrum"
            place = request.property.name if request.property else ""
            request.what = what.format(place=place)
            self.requests.append(request)
            self.steps.append([self._step(request, 1, "", State.REQUESTED, at, self.chief.pk)])

    def save(self) -> None:
        DispatchRequest.objects.bulk_create(self.requests, batch_size=1000)
        DispatchStep.objects.bulk_create(
            [step for steps in self.steps for step in steps], batch_size=2000
        )
