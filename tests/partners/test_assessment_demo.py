import io

from django.core.management import call_command

from trygghet.accounts.models import User
from trygghet.core.periods import PeriodKind, period
from trygghet.partners.assessments.selectors import meeting
from trygghet.partners.models import Action, ActionStatus, Assessment, AssessmentComment


def test_the_demo_has_a_believable_est_record_and_is_safe_twice(db):
    out = io.StringIO()
    call_command("demo_data", "--incidents", "200", stdout=out)
    call_command("demo_data", "--incidents", "200", stdout=out)
    assert "EST record:" in out.getvalue()
    assert set(Assessment.objects.values_list("kind", flat=True)) == {"week", "month", "tertial"}
    assert Assessment.objects.filter(kind="week").count() == 4
    assert AssessmentComment.objects.count() == 1
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert not Action.objects.filter(area__isnull=True).exists()
    assert not Action.objects.filter(status=ActionStatus.DONE, outcome="").exists()
    # The partner of the demo is in the group; last week's picture follows earlier actions up.
    assert User.objects.get(username="partner").organisation is not None
    chief = User.objects.get(username="chef")
    latest = Assessment.objects.filter(kind="week").latest("first").first
    shown = meeting(user=chief, period=period(PeriodKind.WEEK, on=latest))
    assert shown.assessment.text and shown.still_open
