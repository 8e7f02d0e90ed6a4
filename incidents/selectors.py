"""Reads shared by the pages, the API and the exports. Each list is one queryset with its joins
declared here, so its number of queries does not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.apps import apps
from django.db.models import Field, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy

from incidents.models import (
    HISTORY_FIELDS,
    CallOutcome,
    Category,
    CategoryGroup,
    Channel,
    CitizenContact,
    ContactOutcome,
    Escalation,
    FollowUpState,
    Incident,
    NightButtonCall,
    NightButtonSettings,
    Service,
    Severity,
    Source,
)
from incidents.permissions import (
    citizen_contacts_for_user,
    escalations_for_user,
    incidents_for_user,
    night_button_calls_for_user,
)
from patrols.selectors import active_shift_for
from trygghet.accounts.models import User
from trygghet.core.exports import Column, Kind, minutes_column
from trygghet.core.time import DailyWindow

# The map shows the newest positions of the filtered list; more would only be a blot.
MAP_LIMIT = 3000


def category_name_field() -> str:
    """The category's name in the language of the request, for reads that skip the model."""
    return "category__name_en" if (get_language() or "sv").startswith("en") else "category__name_sv"


def incident_list(user: User) -> QuerySet[Incident]:
    """The incidents the user may read, with what every list row shows."""
    return (
        incidents_for_user(user)
        .select_related("category", "area", "reported_by")
        .with_escalation_count()
        .order_by("-occurred_at", "-id")
    )


def escalation_list(user: User) -> QuerySet[Escalation]:
    return escalations_for_user(user).select_related(
        "incident", "incident__category", "service_number", "recorded_by"
    )


def citizen_contact_list(user: User) -> QuerySet[CitizenContact]:
    return citizen_contacts_for_user(user).select_related(
        "category", "phone_line", "recorded_by", "incident", "area"
    )


def night_button_call_list(user: User) -> QuerySet[NightButtonCall]:
    return night_button_calls_for_user(user).select_related("phone_line", "host")


def incident_map(incidents: QuerySet[Incident]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946, longitude first) of the newest positioned
    incidents of a filtered list, with only what a partner may see and the list's map draws (its
    popup: the category and the time, in the category's colour, linking to the incident). At most
    MAP_LIMIT points are drawn; the foreign member "truncated" says when there were more, so the
    page can say so."""
    rows = incidents.filter(latitude__isnull=False).values_list(
        "pk",
        "latitude",
        "longitude",
        "occurred_at",
        category_name_field(),
        "category__colour",
    )[: MAP_LIMIT + 1]
    features = []
    for pk, lat, lon, occurred_at, category, colour in rows[:MAP_LIMIT]:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": {
                    "id": pk,
                    "category": category,
                    "colour": colour,
                    "occurred_at": date_format(
                        timezone.localtime(occurred_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": len(rows) > MAP_LIMIT,
        "limit": MAP_LIMIT,
    }


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: User | None
    amendment: bool
    changes: list[Change]


def _shown(obj, field: str) -> str:
    if field in ("category", "area", "shift"):
        value = getattr(obj, field)
        return str(value) if value is not None else "–"
    if field == "severity":
        return str(Severity(obj.severity).label) if obj.severity else "–"
    if field == "source":
        return str(Source(obj.source).label)
    if field == "occurred_at":
        return date_format(timezone.localtime(obj.occurred_at), "SHORT_DATETIME_FORMAT")
    value = getattr(obj, field)
    return "–" if value in (None, "") else str(value)


def incident_history(incident: Incident, *, personal: bool) -> list[HistoryEntry]:
    """Who changed what when, newest last. Each stored version is the incident as it was before
    a change, so comparing each with the next one (the last with the incident as it is now)
    gives the changes; the first version holds the original text."""
    # pghistory adds the versions relation when incidents.models is imported.
    versions = list(
        incident.versions.select_related(  # type: ignore[attr-defined]
            "pgh_context", "category", "area", "shift"
        ).order_by("pgh_created_at", "pgh_id")
    )
    if not versions:
        return []
    contexts = [version.pgh_context.metadata if version.pgh_context else {} for version in versions]
    users = User.objects.in_bulk([c["user"] for c in contexts if c.get("user")])
    hidden = set(Incident.PERSONAL_FIELDS) if not personal else set()
    labels = {
        field: cast(Field, Incident._meta.get_field(field)).verbose_name for field in HISTORY_FIELDS
    }
    entries = []
    for version, after, context in zip(versions, [*versions[1:], incident], contexts, strict=True):
        changes = [
            Change(str(labels[field]), _shown(version, field), _shown(after, field))
            for field in HISTORY_FIELDS
            if field not in hidden and _shown(version, field) != _shown(after, field)
        ]
        entries.append(
            HistoryEntry(
                at=version.pgh_created_at,
                by=users.get(context.get("user")) if personal else None,
                amendment=bool(context.get("amendment")),
                changes=changes,
            )
        )
    return entries


QUICK_LOG_USE = timedelta(days=28)


def night_button_window() -> DailyWindow:
    """The night button's hours as the chief set them (settings.NIGHT_BUTTON_HOURS until then)."""
    return NightButtonSettings.current().window


def host_start_panel(request) -> dict:
    """The quick log on the host's start page: shown while the host has an active shift."""
    shift = active_shift_for(request.user)
    if shift is None:
        return {"shift": None}
    running = (
        NightButtonCall.objects.filter(shift=shift, ended_at__isnull=True)
        .select_related("phone_line")
        .first()
    )
    used_since = timezone.now() - QUICK_LOG_USE
    return {
        "shift": shift,
        "categories": list(Category.objects.quick_log(used_since=used_since)),
        "running_call": running,
    }


def host_logged_panel(request) -> dict:
    """What the host has logged this shift, below tonight's areas."""
    shift = active_shift_for(request.user)
    if shift is None:
        return {"recent": None}
    recent = (
        Incident.objects.filter(shift=shift)
        .select_related("category", "area")
        .order_by("-occurred_at", "-id")[:10]
    )
    return {"recent": list(recent)}


def category_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Code"), "code"),
        Column(gettext_lazy("Group"), "group", Kind.CHOICE, CategoryGroup.choices),
        Column(gettext_lazy("Name (Swedish)"), "name_sv"),
        Column(gettext_lazy("Name (English)"), "name_en"),
        Column(gettext_lazy("Default severity"), "default_severity", Kind.CHOICE, Severity.choices),
        Column(gettext_lazy("Colour"), "colour"),
        Column(gettext_lazy("In use"), "active", Kind.BOOLEAN),
        Column(gettext_lazy("Quick log"), "quick_log", Kind.BOOLEAN),
    ]


def incident_columns(*, personal: bool) -> list[Column]:
    """The incident list as CSV. Personal columns only for those who may read them."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Occurred at"), "occurred_at", Kind.DATETIME),
        Column(gettext_lazy("Category code"), "category__code"),
        Column(gettext_lazy("Category"), category_name_field(), key="category_name"),
        Column(gettext_lazy("Kind"), "category__kind", key="kind"),
        Column(gettext_lazy("Severity"), "severity", Kind.CHOICE, Severity.choices),
        Column(gettext_lazy("Source"), "source", Kind.CHOICE, Source.choices),
        Column(gettext_lazy("Follow-up"), "state", Kind.CHOICE, FollowUpState.choices),
        Column(gettext_lazy("Area"), "area__name"),
        Column(gettext_lazy("Latitude"), "latitude", Kind.DECIMAL),
        Column(gettext_lazy("Longitude"), "longitude", Kind.DECIMAL),
        Column(gettext_lazy("Number of people involved"), "people_count", Kind.INTEGER),
        Column(gettext_lazy("Calls for help"), "escalation_count", Kind.INTEGER),
        Column(gettext_lazy("Shift"), "shift", Kind.INTEGER),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("Place"), "place_text"),
            Column(gettext_lazy("Description"), "description"),
            Column(gettext_lazy("People involved"), "people_involved"),
            Column(gettext_lazy("Reported by"), "reported_by__username", key="reported_by"),
        ]
    return columns


def escalation_columns(*, personal: bool) -> list[Column]:
    """Calls for help as CSV and GeoJSON (at their incident's position)."""
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Incident"), "incident", Kind.INTEGER),
        Column(gettext_lazy("Service"), "service", Kind.CHOICE, Service.choices),
        Column(gettext_lazy("Number called"), "service_number__name"),
        Column(gettext_lazy("Called at"), "called_at", Kind.DATETIME),
        Column(gettext_lazy("Arrived at"), "arrived_at", Kind.DATETIME),
        minutes_column(
            gettext_lazy("Minutes to arrival"), "called_at", "arrived_at", key="minutes_to_arrival"
        ),
        Column(gettext_lazy("Category code"), "incident__category__code", key="category_code"),
        Column(gettext_lazy("Area"), "incident__area__name", key="area_name"),
        Column(gettext_lazy("Latitude"), "incident__latitude", Kind.DECIMAL, key="latitude"),
        Column(gettext_lazy("Longitude"), "incident__longitude", Kind.DECIMAL, key="longitude"),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("Their reference number"), "reference"),
            Column(gettext_lazy("Note"), "note"),
            Column(gettext_lazy("Recorded by"), "recorded_by__username", key="recorded_by"),
        ]
    return columns


def citizen_contact_columns(*, personal: bool) -> list[Column]:
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Received at"), "received_at", Kind.DATETIME),
        Column(gettext_lazy("Channel"), "channel", Kind.CHOICE, Channel.choices),
        Column(gettext_lazy("Phone line"), "phone_line__number", key="phone_line_number"),
        Column(gettext_lazy("Category code"), "category__code"),
        Column(gettext_lazy("Outcome"), "outcome", Kind.CHOICE, ContactOutcome.choices),
        Column(gettext_lazy("Incident"), "incident", Kind.INTEGER),
        Column(gettext_lazy("Shift"), "shift", Kind.INTEGER),
    ]
    if personal:
        columns += [
            Column(gettext_lazy("Reason"), "reason"),
            Column(gettext_lazy("Contact details"), "contact_details"),
            Column(gettext_lazy("Recorded by"), "recorded_by__username", key="recorded_by"),
        ]
    return columns


def night_button_call_columns(*, personal: bool) -> list[Column]:
    columns = [
        Column(gettext_lazy("Id"), "id", Kind.INTEGER),
        Column(gettext_lazy("Phone line"), "phone_line__number", key="phone_line_number"),
        Column(gettext_lazy("Shift"), "shift", Kind.INTEGER),
        Column(gettext_lazy("Started"), "started_at", Kind.DATETIME),
        Column(gettext_lazy("Ended"), "ended_at", Kind.DATETIME),
        minutes_column(gettext_lazy("Minutes"), "started_at", "ended_at", key="minutes"),
        Column(gettext_lazy("Outcome"), "outcome", Kind.CHOICE, CallOutcome.choices),
        Column(gettext_lazy("Outside opening hours"), "outside_hours", Kind.BOOLEAN),
    ]
    if personal:
        columns.append(Column(gettext_lazy("Host"), "host__username", key="host"))
    return columns


@dataclass(frozen=True)
class ReferenceChange:
    at: datetime
    by: User | None
    kind: str
    label: str
    what: str


def _not_in_use(row) -> str:
    return "" if row.active else f" ({gettext_lazy('not in use')})"


def reference_changes(limit: int = 30) -> list[ReferenceChange]:
    """The latest changes to the night button's settings, the numbers and the categories, with
    who made them: the rows pghistory kept, newest first."""
    described = {
        "NightButtonSettingsEvent": (
            gettext_lazy("Night-button hours"),
            lambda row: (
                f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}"
                + (" · " + str(gettext_lazy("cars on duty only")) if row.lines_on_duty_only else "")
            ),
        ),
        "ServiceNumberEvent": (
            gettext_lazy("Number"),
            lambda row: f"{row.name} ({row.number})" + _not_in_use(row),
        ),
        "CategoryEvent": (
            gettext_lazy("Category"),
            lambda row: f"{row.name_sv} / {row.name_en}" + _not_in_use(row),
        ),
    }
    events = []
    for name in described:
        model = apps.get_model("incidents", name)
        events += list(
            model.objects.select_related("pgh_context").order_by("-pgh_created_at")[:limit]
        )
    events.sort(key=lambda event: event.pgh_created_at, reverse=True)
    events = events[:limit]
    contexts = [event.pgh_context.metadata if event.pgh_context else {} for event in events]
    users = User.objects.in_bulk([c["user"] for c in contexts if c.get("user")])
    labels = {"created": gettext_lazy("added"), "changed": gettext_lazy("changed")}
    changes = []
    for event, context in zip(events, contexts, strict=True):
        kind, describe = described[type(event).__name__]
        changes.append(
            ReferenceChange(
                at=event.pgh_created_at,
                by=users.get(context.get("user")),
                kind=str(kind),
                label=str(labels.get(event.pgh_label, event.pgh_label)),
                what=describe(event),
            )
        )
    return changes
