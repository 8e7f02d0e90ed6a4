"""Reads shared by the board, the host's page, the API and the figures. Each is a fixed number
of queries whatever the number of requests, steps or positions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, Func, IntegerField, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from incidents.models import CitizenContact
from incidents.permissions import citizen_contacts_for_user
from incidents.selectors import category_name_field
from patrols.models import Priority, Shift
from patrols.selectors import active_shift_for, with_hosts
from trygghet.accounts.models import User
from trygghet.core.exports import Column, Kind
from trygghet.core.geojson import feature_collection, point_feature
from trygghet.core.time import night_bounds, operational_night
from trygghet.dispatch.figures import ResponseTimes, response_times
from trygghet.dispatch.models import (
    ASSIGNED_STATES,
    DispatchRequest,
    Outcome,
    Position,
    Source,
    State,
)
from trygghet.dispatch.permissions import requests_for_user
from trygghet.dispatch.services import car_label

# The board lists the newest few of tonight's closed requests and unanswered contacts; the
# history page has the rest.
RECENT_LIMIT = 10
CONTACT_LIMIT = 10


def request_list(user: User) -> QuerySet[DispatchRequest]:
    """The requests the user may read, with what every list row shows (`with_times` adds the
    times of the steps once the list is filtered)."""
    return (
        requests_for_user(user)
        .select_related("area", "category", "shift__vehicle", "requested_by")
        .order_by("-requested_at", "-id")
    )


# --- The board


@dataclass
class Car:
    """An active shift on the board: its car, crew, the requests it has and where it was."""

    shift: Shift
    label: str
    tasks: list[DispatchRequest]
    position: Position | None

    @property
    def busy(self) -> bool:
        return bool(self.tasks)


@dataclass
class Board:
    now: datetime
    night: date
    requests: list[DispatchRequest]
    cars: list[Car]
    contacts: list[CitizenContact]
    recent: list[DispatchRequest]
    figures: list[ResponseTimes]
    version: str

    @property
    def waiting(self) -> list[DispatchRequest]:
        return [request for request in self.requests if request.state == State.REQUESTED]

    def map_data(self) -> dict:
        """The open requests and the cars' last positions as GeoJSON for the board's map."""
        features = [
            point_feature(
                id=request.pk,
                lat=float(request.latitude),
                lon=float(request.longitude),
                properties={
                    "kind": "request",
                    "priority": request.priority,
                    "label": request.what,
                    "state": request.get_state_display(),
                    "url": request.get_absolute_url(),
                },
            )
            for request in self.requests
            if request.latitude is not None and request.longitude is not None
        ]
        features += [
            point_feature(
                id=car.shift.pk,
                lat=float(car.position.latitude),
                lon=float(car.position.longitude),
                properties={"kind": "car", "label": car.label, "busy": car.busy},
            )
            for car in self.cars
            if car.position is not None
        ]
        return feature_collection(features)


def last_positions(shifts: list[Shift]) -> dict[int, Position]:
    """The newest position of each shift, in one query."""
    positions = (
        Position.objects.filter(shift__in=[shift.pk for shift in shifts])
        .order_by("shift_id", "-recorded_at", "-id")
        .distinct("shift_id")
    )
    return {position.shift_id: position for position in positions}


def cars_on_duty(
    assigned: list[DispatchRequest] | None = None, *, positions: bool = True
) -> list[Car]:
    """The active shifts with their crews, the requests each has (from `assigned`, or loaded
    here) and, for the board, their last positions: three queries."""
    if assigned is None:
        assigned = list(DispatchRequest.objects.filter(state__in=ASSIGNED_STATES).only("shift"))
    shifts = list(with_hosts(Shift.objects.active()).order_by("actual_start", "id"))
    found = last_positions(shifts) if positions else {}
    return [
        Car(
            shift=shift,
            label=car_label(shift),
            tasks=[request for request in assigned if request.shift_id == shift.pk],
            position=found.get(shift.pk),
        )
        for shift in shifts
    ]


def open_contacts(user: User, night: date) -> QuerySet[CitizenContact]:
    """Tonight's citizen contacts that nobody has answered and no car was sent for."""
    sent = DispatchRequest.objects.filter(citizen_contact=OuterRef("pk"))
    return (
        citizen_contacts_for_user(user)
        .filter(received_at__gte=night_bounds(night)[0], outcome="")
        .exclude(Exists(sent))
        .select_related("category", "phone_line")
        .order_by("-received_at", "-id")
    )


def board(user: User, now: datetime | None = None) -> Board:
    """Everything the board shows, in a fixed number of queries: the open requests (most urgent,
    then oldest, first), the cars on duty with their crews, tasks and last positions, tonight's
    unanswered citizen contacts, tonight's closed requests and tonight's response times.

    `version` changes whenever anything shown changes, and at least every minute (the ages),
    so the page's poll can skip the swap when nothing did."""
    now = now or timezone.now()
    night = operational_night(now)
    requests = list(
        requests_for_user(user)
        .open()
        .select_related(
            "area", "category", "citizen_contact", "property", "shift__vehicle", "shift__phone_line"
        )
        .order_by("priority", "requested_at", "id")
    )
    cars = cars_on_duty(requests)
    contacts = list(open_contacts(user, night)[:CONTACT_LIMIT])
    recent = list(
        requests_for_user(user)
        .closed()
        .filter(state_at__gte=night_bounds(night)[0])
        .select_related("area", "shift__vehicle", "incident")
        .order_by("-state_at", "-id")[:RECENT_LIMIT]
    )
    figures = response_times(
        requests_for_user(user).filter(requested_at__gte=night_bounds(night)[0]), by_night=False
    )
    version = _version(
        now.strftime("%Y%m%d%H%M"),
        [(r.pk, r.version) for r in requests],
        [(c.shift.pk, [h.host_id for h in c.shift.shift_hosts.all()]) for c in cars],
        [(c.shift.pk, c.position.pk) for c in cars if c.position],
        [c.pk for c in contacts],
        [(r.pk, r.version) for r in recent],
    )
    return Board(now, night, requests, cars, contacts, recent, figures, version)


def _version(*parts) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]


# --- The host's page


@dataclass
class HostTasks:
    shift: Shift | None
    tasks: list[DispatchRequest]
    version: str


def host_tasks(user: User) -> HostTasks:
    """The requests the host's car has now, most urgent first. `version` changes when one
    comes, goes or moves on, so the phone's poll gets nothing when nothing happened."""
    shift = active_shift_for(user)
    tasks = []
    if shift is not None:
        tasks = list(
            DispatchRequest.objects.filter(shift=shift, state__in=ASSIGNED_STATES)
            .select_related("area", "category", "property", "citizen_contact")
            .order_by("priority", "state_at", "id")
        )
    version = _version(shift.pk if shift else None, [(t.pk, t.version) for t in tasks])
    return HostTasks(shift, tasks, version)


class Seconds(Func):
    """An interval in whole seconds, for exports."""

    template = "round(extract(epoch FROM %(expressions)s))::int"
    output_field = IntegerField()


def request_columns(*, personal: bool) -> list[Column]:
    """The request list as CSV: figures for everyone, details only for those who may read
    them (never the phones' positions: those are not in any export)."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Requested at"), "requested_at", Kind.DATETIME),
        Column(gettext_lazy("Night"), "night"),
        Column(gettext_lazy("Priority"), "priority", Kind.CHOICE, Priority.choices),
        Column(gettext_lazy("Source"), "source", Kind.CHOICE, Source.choices),
        Column(gettext_lazy("Area"), "area__name"),
        Column(gettext_lazy("State"), "state", Kind.CHOICE, State.choices),
        Column(gettext_lazy("Outcome"), "outcome", Kind.CHOICE, Outcome.choices),
        Column(gettext_lazy("Dispatched at"), "dispatched_at", Kind.DATETIME),
        Column(gettext_lazy("Acknowledged at"), "acknowledged_at", Kind.DATETIME),
        Column(gettext_lazy("On scene at"), "on_scene_at", Kind.DATETIME),
        Column(gettext_lazy("Closed at"), "closed_at", Kind.DATETIME),
        Column(
            gettext_lazy("Seconds to dispatch"),
            Seconds(F("dispatched_at") - F("requested_at")),
            Kind.INTEGER,
            key="seconds_to_dispatch",
        ),
        Column(
            gettext_lazy("Seconds to acknowledge"),
            Seconds(F("acknowledged_at") - F("requested_at")),
            Kind.INTEGER,
            key="seconds_to_acknowledge",
        ),
        Column(
            gettext_lazy("Seconds to on scene"),
            Seconds(F("on_scene_at") - F("requested_at")),
            Kind.INTEGER,
            key="seconds_to_on_scene",
        ),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("What"), "what"),
            Column(gettext_lazy("About"), category_name_field()),
            Column(gettext_lazy("Place"), "place_text"),
            Column(gettext_lazy("Latitude"), "latitude", Kind.DECIMAL),
            Column(gettext_lazy("Longitude"), "longitude", Kind.DECIMAL),
            Column(gettext_lazy("Note"), "note"),
            Column(gettext_lazy("Car"), "shift__vehicle__name"),
            Column(gettext_lazy("Citizen contact"), "citizen_contact_id", Kind.INTEGER),
            Column(gettext_lazy("Property"), "property__name"),
            Column(gettext_lazy("Incident"), "incident_id", Kind.INTEGER),
            Column(gettext_lazy("Requested by"), "requested_by__username"),
        ]
    return columns
