"""Demo incidents: a believable year of the hosts' log, at any size.

Incidents cluster around a few hotspots in each area (some are logged without a position), come
mostly in the evening and at night, more on Friday and Saturday nights and in the summer. They
are written with COPY in batches, so a million take minutes; calls for help, follow-ups and the
citizen contacts that became incidents are then derived from them in SQL. Runs after the patrols
demo and uses its areas and shifts; without them it makes a few of its own.

The shifts the log falls on, the year's incidents and the calls and contacts that never became
one are each a module; this one runs them in order.
"""

from __future__ import annotations

from incidents.demo.calls import citizen_contacts, night_button_calls
from incidents.demo.shifts import make_areas, worked_shifts
from incidents.demo.street_tasks import street_tasks
from incidents.demo.year import derive_from_incidents, write_incidents
from incidents.models import (
    CitizenContact,
    DepartmentTask,
    Escalation,
    Incident,
    NightButtonCall,
)
from patrols.models import Area, PhoneLine
from trygghet.accounts.models import User
from trygghet.accounts.roles import GROUP_NAMES, Role
from trygghet.core.demodata import DemoContext


def build(ctx: DemoContext) -> None:
    hosts = list(
        User.objects.filter(groups__name=GROUP_NAMES[Role.HOST]).order_by("username").distinct()
    )
    if not hosts or ctx.incidents == 0:
        return
    chief = User.objects.filter(username="chef").first() or hosts[0]
    areas = list(Area.objects.active()) or make_areas(ctx)
    lines = list(PhoneLine.objects.filter(active=True, night_button=True))
    shifts = worked_shifts(ctx, hosts, lines)
    before = Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    todo = max(0, ctx.incidents - Incident.objects.count())
    if todo:
        write_incidents(ctx, todo, areas, shifts, hosts)
        derive_from_incidents(ctx, after_id=before, chief=chief)
        street_tasks(ctx, after_id=before)
    if not NightButtonCall.objects.exists():
        night_button_calls(ctx, shifts, lines)
    if not CitizenContact.objects.filter(incident__isnull=True).exists():
        citizen_contacts(ctx, shifts, max(50, ctx.incidents // 25))
    ctx.say(
        f"Incidents: {Incident.objects.count()}, calls for help: {Escalation.objects.count()}, "
        f"citizen contacts: {CitizenContact.objects.count()}, "
        f"night-button calls: {NightButtonCall.objects.count()}, "
        f"street-issue tasks: {DepartmentTask.objects.count()}"
    )
