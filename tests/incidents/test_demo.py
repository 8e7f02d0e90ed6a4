import io

from django.core.management import call_command

from incidents.models import CitizenContact, Escalation, Incident, NightButtonCall
from patrols.models import Area


def test_demo_incidents_are_believable_and_safe_to_run_twice(db):
    out = io.StringIO()
    call_command("demo_data", "--incidents", "600", stdout=out)
    call_command("demo_data", "--incidents", "600", stdout=out)
    assert Incident.objects.count() == 600
    assert Area.objects.exists()
    positioned = Incident.objects.filter(latitude__isnull=False)
    # Clustered in the areas: every position lies in one; some incidents have none.
    assert positioned.count() < 600
    assert not positioned.filter(area__isnull=True).exists()
    friday_saturday = Incident.objects.filter(occurred_at__iso_week_day__in=[5, 6, 7]).count()
    assert friday_saturday > 600 * 3 / 7
    assert Escalation.objects.exists()
    assert CitizenContact.objects.filter(incident__isnull=False).exists()
    assert CitizenContact.objects.filter(incident__isnull=True).exists()
    assert NightButtonCall.objects.exists()
    assert "Incidents: 600" in out.getvalue()
