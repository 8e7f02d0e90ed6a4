import io

from django.core.management import call_command
from django.db.models import Count, F, Max

from trygghet.dispatch.figures import response_times
from trygghet.dispatch.models import DispatchRequest, DispatchStep, Outcome, Source, State


def test_demo_call_outs_span_months_with_believable_times_and_are_safe_twice(db):
    out = io.StringIO()
    call_command("demo_data", "--incidents", "600", stdout=out)
    count = DispatchRequest.objects.count()
    call_command("demo_data", "--incidents", "600", stdout=out)
    assert DispatchRequest.objects.count() == count > 100
    assert "Dispatch:" in out.getvalue()

    nights = {row.night for row in response_times(DispatchRequest.objects.all()) if row.night}
    assert len(nights) > 60  # months of nights
    # Every call-out's steps are numbered 1…version, and its pointer is its last step.
    last = DispatchRequest.objects.annotate(steps_made=Count("steps"), last=Max("steps__number"))
    assert not last.exclude(steps_made=F("version")).exists()
    assert not last.exclude(last=F("version")).exists()
    assert DispatchStep.objects.filter(state=State.ACKNOWLEDGED).exists()
    # Attached to the demo shifts, from residents' calls and property alarms, some incidents.
    assert not DispatchRequest.objects.filter(state=State.CLEARED, shift__isnull=True).exists()
    assert DispatchRequest.objects.filter(citizen_contact__isnull=False).exists()
    assert DispatchRequest.objects.filter(
        source=Source.PROPERTY_ALARM, property__isnull=False
    ).exists()
    assert DispatchRequest.objects.filter(outcome=Outcome.INCIDENT).exists()
    assert DispatchRequest.objects.filter(state=State.CANCELLED).exists()
    assert DispatchRequest.objects.filter(state=State.REQUESTED).count() == 2
    # The urgent ones get a car sooner.
    by_priority = {
        row.priority: row.to_dispatch
        for row in response_times(DispatchRequest.objects.all())
        if row.night is None and row.priority
    }
    assert by_priority[1] < by_priority[2] < by_priority[3]
