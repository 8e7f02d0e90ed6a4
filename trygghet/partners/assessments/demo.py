"""The EST group's record in the demo municipality: the last weeks', the months' and the
tertial's assessments, a partner's comment, and actions about places (never people), the older
ones done or dropped with what came of them, the recent ones open."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from patrols.models import Area
from trygghet.accounts.models import Department, Organisation, OrganisationKind, User
from trygghet.core.demodata import DemoContext
from trygghet.core.periods import Bucket, bucket_of, last_night
from trygghet.core.time import local_tz
from trygghet.partners.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentComment,
    MeetingPeriod,
)

# Used only when no other step has made the group's partners.
ORGANISATIONS = [
    ("Lokalpolisområde Enköping", OrganisationKind.POLICE),
    ("Enköpingshem", OrganisationKind.HOUSING_COMPANY),
    ("Securitas, kommunens bevakning", OrganisationKind.SECURITY_COMPANY),
]

WEEKS = [
    "Skadegörelse och klotter ökar kring Resecentrum fredag och lördag kväll, framför allt "
    "vid cykelgaraget. Lugnare i Björkhagen efter förra veckans närvaro.",
    "Fler larm om ungdomsgrupper vid Stortorget efter stängning; nedskräpning i Stadsparken "
    "efter helgens värme. Polisen ser samma bild.",
    "Färre händelser totalt. Bränder i papperskorgar vid Solängens centrum två nätter i rad; "
    "trasig belysning i gångtunneln under Västerleden förstärker otryggheten.",
    "Stabil vecka. Klottret vid Resecentrum är sanerat och har inte kommit tillbaka. "
    "Parkeringshuset Kvarnen: skadegörelse på bilar natt mot lördag.",
]
MONTH = (
    "Månaden präglas av helgkvällar vid Resecentrum och Stortorget. Bostadsbolagets rapporter "
    "visar samma mönster i Råbyhöjden. Åtgärderna kring belysning har gett effekt."
)
TERTIAL = (
    "Resecentrum och Stortorget står för en tredjedel av händelserna; där behövs en längre "
    "insats med bättre belysning, kameraövervakning att pröva och fast närvaro helgkvällar."
)
# what, area, owner (organisation index, department name or None for the hosts), days to due,
# status, what came of it
ACTIONS = [
    (
        "Sanera klottret vid cykelgaraget",
        "Resecentrum",
        "Gatu- och parkförvaltningen",
        7,
        ActionStatus.DONE,
        "Sanerat på tre dagar; inget nytt klotter veckan efter.",
    ),
    ("Närvaro fredag och lördag 21–23", "Resecentrum", None, 14, ActionStatus.IN_PROGRESS, ""),
    (
        "Byta trasig belysning i gångtunneln",
        "Solängens centrum",
        "Gatu- och parkförvaltningen",
        10,
        ActionStatus.OPEN,
        "",
    ),
    (
        "Extra tömning av papperskorgar efter helger",
        "Stadsparken",
        "Gatu- och parkförvaltningen",
        7,
        ActionStatus.DONE,
        "Tömning även söndag morgon, tills vidare.",
    ),
    (
        "Gemensam kvällsrunda med polisen",
        "Stortorget",
        0,
        7,
        ActionStatus.DONE,
        "Genomförd lördag; färre grupper efter stängning.",
    ),
    ("Se över låsning av källarförråd", "Råbyhöjden", 1, 21, ActionStatus.OPEN, ""),
    (
        "Ronder i parkeringshuset natt mot lördag",
        "Parkeringshuset Kvarnen",
        2,
        14,
        ActionStatus.DROPPED,
        "Ersatt av bevakningsbolagets kameraövervakning.",
    ),
]


def _organisations() -> list[Organisation]:
    found = list(Organisation.objects.filter(active=True).order_by("pk")[:3])
    if found:
        return found
    return [
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "all_areas": True})[0]
        for name, kind in ORGANISATIONS
    ]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_tz())


def build(ctx: DemoContext) -> None:
    chief = User.objects.filter(username="chef").first()
    if chief is None or Assessment.objects.exists():
        return
    organisations = _organisations()
    partner = User.objects.filter(username="partner", organisation__isnull=True).first()
    if partner is not None:
        partner.organisation = organisations[0]
        partner.save(update_fields=["organisation"])
    areas = {area.name: area for area in Area.objects.all()}
    departments = {department.name: department for department in Department.objects.all()}
    latest = last_night(ctx.now)
    this_week = bucket_of(latest, Bucket.WEEK).first
    weeks = [this_week - timedelta(weeks=n) for n in range(len(WEEKS) - 1, -1, -1)]
    records = [
        Assessment(kind=MeetingPeriod.WEEK, first=first, text=text, written_by=chief)
        for first, text in zip(weeks, WEEKS, strict=True)
    ]
    records.append(
        Assessment(
            kind=MeetingPeriod.MONTH,
            first=bucket_of(latest.replace(day=1) - timedelta(days=1), Bucket.MONTH).first,
            text=MONTH,
            written_by=chief,
        )
    )
    records.append(
        Assessment(
            kind=MeetingPeriod.TERTIAL,
            first=bucket_of(latest, Bucket.TERTIAL).first,
            text=TERTIAL,
            written_by=chief,
        )
    )
    Assessment.objects.bulk_create(records)
    AssessmentComment.objects.create(
        assessment=records[len(WEEKS) - 1],
        organisation=organisations[0],
        written_by=partner or chief,
        text="Polisen ser samma mönster vid Parkeringshuset Kvarnen och förstärker där.",
    )
    actions = []
    for n, (what, area, owner, days, status, outcome) in enumerate(ACTIONS):
        # Spread over the weeks: the first actions were agreed earliest.
        assessment = records[min(n // 2, len(WEEKS) - 1)]
        agreed = assessment.first + timedelta(days=8)
        closed = min(_at(agreed + timedelta(days=days - 2), 10), ctx.now)
        actions.append(
            Action(
                assessment=assessment,
                what=what,
                area=areas.get(area),
                organisation=(
                    organisations[owner % len(organisations)] if isinstance(owner, int) else None
                ),
                department=departments.get(owner) if isinstance(owner, str) else None,
                due=agreed + timedelta(days=days),
                status=status,
                outcome=outcome,
                closed_at=closed if status in (ActionStatus.DONE, ActionStatus.DROPPED) else None,
                created_by=chief,
            )
        )
    Action.objects.bulk_create(actions)
    ctx.say(f"EST record: {len(records)} assessments, {len(actions)} actions")
