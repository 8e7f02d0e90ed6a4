from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from incidents.models import (
    Category,
    CitizenContact,
    DepartmentTask,
    Escalation,
    Incident,
    NightButtonCall,
    Service,
)
from incidents.services import incident_create


def category(code: str = "graffiti") -> Category:
    """One of the default categories the data migration made."""
    return Category.objects.get(code=code)


class IncidentFactory(DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    occurred_at = factory.LazyFunction(timezone.now)
    category = factory.LazyFunction(category)
    severity = 1
    latitude = Decimal("59.610000")
    longitude = Decimal("16.540000")
    place_text = "Vid busshållplatsen"
    description = "PERSONUPPGIFT beskrivning"
    people_involved = "PERSONUPPGIFT person"


class EscalationFactory(DjangoModelFactory):
    class Meta:
        model = Escalation

    incident = factory.SubFactory(IncidentFactory)
    service = Service.POLICE
    called_at = factory.LazyFunction(timezone.now)
    note = "PERSONUPPGIFT anteckning"
    recorded_by = factory.SelfAttribute("incident.reported_by")


class CitizenContactFactory(DjangoModelFactory):
    class Meta:
        model = CitizenContact

    received_at = factory.LazyFunction(timezone.now)
    channel = "phone"
    reason = "PERSONUPPGIFT skäl"
    contact_details = "PERSONUPPGIFT 070-000 00 00"


class NightButtonCallFactory(DjangoModelFactory):
    class Meta:
        model = NightButtonCall

    started_at = factory.LazyFunction(timezone.now)


def make_records(count: int, *, host, shift) -> None:
    """`count` incidents on the shift, each with a call for help, a citizen contact and a
    night-button call: a row for every list."""
    for _ in range(count):
        incident = IncidentFactory(reported_by=host, shift=shift)
        EscalationFactory(incident=incident)
        CitizenContactFactory(incident=incident, recorded_by=host, shift=shift)
        NightButtonCall.objects.create(
            phone_line=shift.phone_line,
            host=host,
            shift=shift,
            started_at=timezone.now(),
            ended_at=timezone.now(),
            outcome="arrived",
        )


def responsible(department, code: str = "graffiti") -> Category:
    """A default category whose events become `department`'s tasks."""
    street = category(code)
    street.department = department
    street.save(update_fields=["department"])
    return street


def department_task(department, *, by, code: str = "graffiti", **options) -> DepartmentTask:
    """A street issue as the hosts make one: `by` (a host on an active shift) logs an event in a
    category `department` is responsible for."""
    incident, _created = incident_create(by=by, category=responsible(department, code), **options)
    return incident.department_task
