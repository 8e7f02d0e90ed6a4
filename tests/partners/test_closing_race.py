"""The chief closing a week while a partner's correction is being saved, on two database
connections: the correction either lands before the week is closed or is refused after it,
never written into a week already called final."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from tests.incidents.factories import category
from tests.partners.factories import WEEK_47
from trygghet.partners.closing import hold_week
from trygghet.partners.models import ClosedWeek, WeeklyReport
from trygghet.partners.services import RowInput, weekly_report_submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_correction_waits_for_a_closing_under_way_and_is_then_refused(
    organisation, partner, area, persona
):
    chief = persona("chief")
    closing, release = threading.Event(), threading.Event()
    outcome = {}

    def close():
        try:
            with transaction.atomic():
                hold_week(WEEK_47, closing=True)
                closing.set()
                release.wait(timeout=10)
                ClosedWeek.objects.create(week=WEEK_47, closed_by=chief)
        finally:
            connection.close()

    def correct():
        try:
            weekly_report_submit(
                organisation=organisation,
                week=WEEK_47,
                by=partner,
                source="form",
                rows=[
                    RowInput(
                        night=WEEK_47 + timedelta(days=4),
                        category=category("graffiti"),
                        count=2,
                        area=area,
                    )
                ],
            )
            outcome["result"] = "saved"
        except ValidationError as error:
            outcome["result"] = " ".join(error.messages)
        finally:
            connection.close()

    chief_thread = threading.Thread(target=close)
    chief_thread.start()
    assert closing.wait(timeout=10)
    partner_thread = threading.Thread(target=correct)
    partner_thread.start()
    partner_thread.join(timeout=1)
    assert partner_thread.is_alive(), "the correction went ahead while the week was closing"

    release.set()
    chief_thread.join(timeout=10)
    partner_thread.join(timeout=10)

    assert "stängd" in outcome["result"]
    assert not WeeklyReport.objects.filter(organisation=organisation, week=WEEK_47).exists()
