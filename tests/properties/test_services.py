import uuid
from itertools import product

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from properties.models import (
    Deviation,
    DeviationState,
    DeviationStep,
    PropertyCheck,
)
from properties.notifications import deviation_email
from properties.services import deviation_transition, property_check_create, property_save
from tests.jobs import queued_jobs, run_queued_jobs
from tests.patrols.factories import make_shift
from tests.properties.factories import PropertyFactory, check


class ExplodingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://trygghet.example.se/"


@pytest.fixture
def host(persona):
    host = persona("host")
    make_shift(hosts=[host], active=True)
    return host


@pytest.fixture
def building(department):
    return PropertyFactory(name="Vallbyskolan", department=department, contact_email="")


def test_all_in_order_makes_no_deviation(host, building):
    made = check(building, host)
    assert made.ok
    assert not Deviation.objects.exists()


def test_a_failed_item_makes_one_deviation_with_what_was_found_and_done(host, building):
    made = check(
        building,
        host,
        failed=["locked", "graffiti"],
        description="Bakdörren olåst, klotter på gaveln.",
        actions=["locked", "reported_only"],
        action_note="Låste med nyckel 12.",
    )
    assert not made.ok
    deviation = made.deviation
    assert deviation.items == ["locked", "graffiti"]
    assert deviation.actions == ["locked", "reported_only"]
    assert deviation.description == "Bakdörren olåst, klotter på gaveln."
    assert deviation.state == DeviationState.OPEN
    step = deviation.steps.get()
    assert (step.from_state, step.state, step.by) == ("", DeviationState.OPEN, host)
    assert made.shift.hosts.filter(pk=host.pk).exists()


def test_a_failed_item_needs_what_the_host_did(host, building):
    with pytest.raises(ValidationError, match="Berätta vad du gjorde"):
        property_check_create(
            property=building, by=host, results={item: False for item in building.checklist}
        )
    assert not PropertyCheck.objects.exists()


def test_every_checklist_item_must_be_answered(host, building):
    building.checklist = ["locked", "windows"]
    building.save()
    with pytest.raises(ValidationError, match="Svara på varje punkt"):
        property_check_create(property=building, by=host, results={"locked": True})
    with pytest.raises(ValidationError, match="finns inte på checklistan"):
        property_check_create(
            property=building,
            by=host,
            results={"locked": True, "windows": True, "alarm": True},
        )


def test_a_host_without_an_active_shift_cannot_check(persona, building):
    with pytest.raises(ValidationError, match="Starta ditt pass"):
        check(building, persona("other_host"))


def test_email_goes_to_the_department_contact_once_from_the_worker(host, building):
    key = uuid.uuid4()
    made = check(building, host, failed=["damage"], client_key=key)
    again = check(building, host, failed=["damage"], client_key=key)
    assert again.pk == made.pk
    assert mail.outbox == []  # the host's request does not wait for the mail server
    assert run_queued_jobs() == ["properties.tasks.deviation_email"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [building.department.contact_email]
    assert "Vallbyskolan" in message.subject
    assert "Skadegörelse" in message.subject
    assert f"https://trygghet.example.se{made.deviation.get_absolute_url()}" in message.body
    made.deviation.refresh_from_db()
    assert made.deviation.notified_at is not None


def test_the_buildings_own_contact_wins(host, building):
    building.contact_email = "vaktmastare@example.se"
    building.save()
    check(building, host, failed=["locked"])
    run_queued_jobs()
    assert mail.outbox[0].to == ["vaktmastare@example.se"]


def test_the_job_is_queued_with_the_check_and_none_for_a_check_in_order(host, building):
    made = check(building, host, failed=["locked"])
    assert queued_jobs() == [
        ("properties.tasks.deviation_email", {"deviation_id": made.deviation.pk})
    ]
    check(building, host)
    assert len(queued_jobs()) == 1


def test_a_check_rolled_back_leaves_no_job(host, building):
    with pytest.raises(RuntimeError), transaction.atomic():
        check(building, host, failed=["locked"])
        raise RuntimeError("the request failed after the check")
    assert queued_jobs() == []


def test_a_failing_mail_server_never_loses_the_deviation(host, building, settings):
    settings.EMAIL_BACKEND = f"{__name__}.ExplodingBackend"
    made = check(building, host, failed=["intrusion"])
    with pytest.raises(ConnectionRefusedError):
        run_queued_jobs()  # the worker retries it later (tests/core/test_worker.py)
    deviation = Deviation.objects.get(property_check=made)
    assert deviation.notified_at is None


def test_a_deviation_already_notified_is_not_told_again(host, building):
    made = check(building, host, failed=["locked"])
    run_queued_jobs()
    assert deviation_email(deviation_id=made.deviation.pk) is False
    assert len(mail.outbox) == 1


def test_same_key_from_another_host_is_refused(host, persona, building):
    key = uuid.uuid4()
    check(building, host, client_key=key)
    other = persona("other_host")
    make_shift(hosts=[other], active=True)
    with pytest.raises(PermissionDenied):
        check(building, other, client_key=key)


# The follow-up matrix: every state against every target.
ALLOWED = {
    (DeviationState.OPEN, DeviationState.ACKNOWLEDGED),
    (DeviationState.ACKNOWLEDGED, DeviationState.RESOLVED),
}


def deviation_in(state, host, building, owner):
    deviation = check(building, host, failed=["locked"]).deviation
    path = [DeviationState.OPEN, DeviationState.ACKNOWLEDGED, DeviationState.RESOLVED]
    for target in path[1 : path.index(state) + 1]:
        deviation_transition(deviation=deviation, to=target, by=owner, note="Klart.")
    return deviation


@pytest.mark.parametrize(("source", "target"), list(product(DeviationState, DeviationState)))
def test_transition_matrix(host, building, persona, source, target):
    owner = persona("owner")
    deviation = deviation_in(source, host, building, owner)
    steps_before = deviation.steps.count()
    if (source, target) in ALLOWED:
        deviation_transition(deviation=deviation, to=target, by=owner, note="Låset bytt.")
        deviation.refresh_from_db()
        assert deviation.state == target
        last = deviation.steps.last()
        assert (last.from_state, last.state, last.by) == (source, target, owner)
        assert (deviation.resolved_at is not None) is (target == DeviationState.RESOLVED)
    else:
        with pytest.raises(ValidationError):
            deviation_transition(deviation=deviation, to=target, by=owner, note="Låset bytt.")
        deviation.refresh_from_db()
        assert deviation.state == source
        assert deviation.steps.count() == steps_before


def test_resolving_needs_a_note(host, building, persona):
    deviation = deviation_in(DeviationState.ACKNOWLEDGED, host, building, persona("owner"))
    with pytest.raises(ValidationError, match="Skriv vad som gjorts"):
        deviation_transition(
            deviation=deviation, to=DeviationState.RESOLVED, by=persona("owner"), note="  "
        )


def test_a_stale_copy_cannot_take_the_same_step_twice(host, building, persona):
    deviation = check(building, host, failed=["locked"]).deviation
    stale = Deviation.objects.get(pk=deviation.pk)
    deviation_transition(deviation=deviation, to=DeviationState.ACKNOWLEDGED, by=persona("owner"))
    with pytest.raises(ValidationError, match="redan kvitterad"):
        deviation_transition(deviation=stale, to=DeviationState.ACKNOWLEDGED, by=persona("chief"))
    assert deviation.steps.count() == 2


def test_the_database_refuses_steps_outside_the_path(host, building, persona):
    deviation = check(building, host, failed=["locked"]).deviation
    with pytest.raises(IntegrityError), transaction.atomic():
        DeviationStep.objects.create(
            deviation=deviation, from_state="open", state="resolved", by=host, note="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DeviationStep.objects.create(deviation=deviation, from_state="", state="open", by=host)


def test_property_save_changes_the_building(db):
    building = PropertyFactory(name="Skola A")

    property_save(property=building, name="Skola B", active=False)

    building.refresh_from_db()
    assert (building.name, building.active) == ("Skola B", False)


def test_property_save_refuses_what_the_model_refuses(db):
    building = PropertyFactory(name="Skola A")

    with pytest.raises(ValidationError) as refused:
        property_save(property=building, name="")

    assert "name" in refused.value.message_dict
    building.refresh_from_db()
    assert building.name == "Skola A"
