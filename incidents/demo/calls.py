"""The night-button calls and the residents' contacts that never became an incident. Made per
worked shift after the incidents, in plain bulk inserts, since they are few and no incident
points at them."""

from __future__ import annotations

from datetime import timedelta

from incidents.demo.shifts import Shifts
from incidents.models import CitizenContact, NightButtonCall
from incidents.selectors import night_button_window
from patrols.models import PhoneLine
from trygghet.core.demodata import DemoContext
from trygghet.core.time import local_tz

CONTACT_REASONS = [
    "Oro för ungdomar vid skolan.",
    "Ville veta när värdarna är i området.",
    "Berättade om klotter på garaget.",
    "Undrade över nattknappen.",
    "Hörde skrik från parken.",
]


def night_button_calls(ctx: DemoContext, shifts: Shifts, lines: list[PhoneLine]) -> None:
    """A few calls most nights, more on Friday and Saturday, now and then outside the hours."""
    rng = ctx.rng
    window = night_button_window()
    calls = []
    for start, end, shift_id, host_id, line_id in shifts.rows:
        line_id = line_id or (lines[0].pk if lines else None)
        if line_id is None or end > ctx.now:
            continue
        opening, closing = window.on(start.astimezone(local_tz()).date())
        busy = start.astimezone(local_tz()).weekday() in (4, 5)
        moment = opening - timedelta(minutes=rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 25]))
        for _ in range(
            rng.choices([0, 1, 2, 3, 4], [3, 4, 3, 2, 1] if busy else [5, 4, 2, 1, 0])[0]
        ):
            moment += timedelta(minutes=rng.randint(5, 60))
            if moment >= min(closing, end):
                break
            ended = moment + timedelta(minutes=rng.randint(4, 28))
            outcome = rng.choices(["arrived", "dropped", "escalated_112"], [90, 8, 2])[0]
            calls.append(
                NightButtonCall(
                    phone_line_id=line_id,
                    host_id=host_id,
                    shift_id=shift_id,
                    started_at=moment,
                    ended_at=ended,
                    outcome=outcome,
                    outside_hours=not window.contains(moment),
                )
            )
            moment = ended
    NightButtonCall.objects.bulk_create(calls, batch_size=2000)


def citizen_contacts(ctx: DemoContext, shifts: Shifts, count: int) -> None:
    """Residents who called or came up to the car and did not become an incident."""
    rng = ctx.rng
    worked = [row for row in shifts.rows if row[1] <= ctx.now]
    if not worked:
        return
    outcomes = ["handled", "referred_police", "referred_112", "referred_other"]
    # Where a resident referred to "another authority" went: mostly the municipality's on-call.
    elsewhere = [
        ("social_on_call", ""),
        ("property_on_call", ""),
        ("streets_on_call", ""),
        ("other", "Försäkringskassan"),
    ]
    contacts = []
    for _ in range(count):
        start, end, shift_id, host_id, line_id = rng.choice(worked)
        received = start + (end - start) * rng.random()
        channel = rng.choices(["phone", "in_person", "web"], [60, 35, 5])[0]
        outcome = rng.choices(outcomes, [80, 10, 3, 7])[0]
        referred_to, referred_to_other = {
            "referred_police": ("police", ""),
            "referred_other": rng.choices(elsewhere, [4, 2, 2, 1])[0],
        }.get(outcome, ("", ""))
        contacts.append(
            CitizenContact(
                received_at=received,
                channel=channel,
                phone_line_id=line_id if channel == "phone" else None,
                reason=rng.choice(CONTACT_REASONS),
                outcome=outcome,
                referred_to=referred_to,
                referred_to_other=referred_to_other,
                recorded_by_id=host_id,
                shift_id=shift_id,
                created_at=received,
            )
        )
    CitizenContact.objects.bulk_create(contacts, batch_size=2000)
