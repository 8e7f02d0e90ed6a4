import io

from django.core.management import call_command

from properties.models import Deviation, DeviationState, Property, PropertyCheck


def test_demo_data_makes_a_register_with_checks_and_deviations_in_every_state(db):
    out = io.StringIO()
    call_command("demo_data", "--incidents", "0", stdout=out)
    checks = PropertyCheck.objects.count()
    call_command("demo_data", "--incidents", "0", stdout=out)
    assert 40 <= Property.objects.count() <= 80
    assert Property.objects.filter(department__name="Utbildningsförvaltningen").count() >= 5
    assert PropertyCheck.objects.count() == checks > 0
    assert set(Deviation.objects.values_list("state", flat=True)) == set(DeviationState.values)
    assert Deviation.objects.overdue().exists()
