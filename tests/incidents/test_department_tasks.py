"""Street issues to the department responsible in public space: an event in a category that
names a department becomes its task, e-mailed to it and followed up as a building deviation is,
and a department sees its own tasks only."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import DepartmentTask, DepartmentTaskStep
from incidents.services import department_task_transition, incident_create
from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.incidents.factories import category, department_task, responsible
from tests.patrols.factories import make_shift
from trygghet.core.follow_up import FollowUpState

LIST = "/tasks/"


@pytest.fixture
def host(persona):
    host = persona("host")
    make_shift(hosts=[host], active=True)
    return host


@pytest.fixture
def task(host, department):
    """Graffiti on the square, the owner's department's to put right."""
    department.contact_email = "gata@example.se"
    department.save()
    return department_task(
        department, by=host, latitude=Decimal("59.610000"), longitude=Decimal("16.540000")
    )


@pytest.fixture
def others(host, other_department):
    return department_task(other_department, by=host, code="littering")


def step_url(task) -> str:
    return f"{task.get_absolute_url()}step/"


def test_an_event_in_a_responsible_category_becomes_the_departments_task(
    host, department, django_capture_on_commit_callbacks
):
    department.contact_email = "gata@example.se"
    department.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident, _created = incident_create(by=host, category=responsible(department))
    task = incident.department_task
    assert (task.department, task.state, task.found_at) == (
        department,
        FollowUpState.OPEN,
        incident.occurred_at,
    )
    assert [(step.from_state, step.state, step.by) for step in task.steps.all()] == [
        ("", FollowUpState.OPEN, host)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["gata@example.se"]
    assert mail.outbox[0].subject == f"Gatuärende till {department.name}: Klotter"
    assert task.get_absolute_url() in mail.outbox[0].body
    task.refresh_from_db()
    assert task.notified_at is not None


def test_other_categories_and_activities_make_no_task(host, department):
    incident, _created = incident_create(by=host, category=category("vandalism"))
    assert not DepartmentTask.objects.filter(incident=incident).exists()
    dialogue = responsible(department, "dialogue")
    incident, _created = incident_create(by=host, category=dialogue)
    assert not DepartmentTask.objects.filter(incident=incident).exists()


def test_a_department_without_an_address_still_gets_the_task(
    host, department, django_capture_on_commit_callbacks
):
    department.contact_email = ""
    department.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident, _created = incident_create(by=host, category=responsible(department))
    assert mail.outbox == []
    assert incident.department_task.notified_at is None


def test_the_follow_up_is_open_acknowledged_resolved_with_a_note(task, persona):
    owner = persona("owner")
    with pytest.raises(ValidationError, match="Skriv vad som gjorts"):
        department_task_transition(task=task, to=FollowUpState.RESOLVED, by=owner)
    with pytest.raises(ValidationError, match="kan inte få status åtgärdad"):
        department_task_transition(task=task, to=FollowUpState.RESOLVED, by=owner, note="Tvättat.")
    department_task_transition(task=task, to=FollowUpState.ACKNOWLEDGED, by=owner)
    with pytest.raises(ValidationError, match="har redan status kvitterad"):
        department_task_transition(task=task, to=FollowUpState.ACKNOWLEDGED, by=owner)
    department_task_transition(task=task, to=FollowUpState.RESOLVED, by=owner, note="Tvättat.")
    task.refresh_from_db()
    assert (task.state, task.resolved_at is not None) == (FollowUpState.RESOLVED, True)
    assert [step.state for step in task.steps.all()] == ["open", "acknowledged", "resolved"]


def test_the_database_refuses_a_step_outside_the_path(task, persona):
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentTaskStep.objects.create(
            task=task, from_state="open", state="resolved", by=persona("owner"), note="x"
        )


def test_a_task_not_resolved_in_time_is_overdue(task, settings):
    assert not task.is_overdue()
    later = timezone.now() + timedelta(days=settings.DEVIATION_OVERDUE_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        assert task.is_overdue()
        assert list(DepartmentTask.objects.overdue()) == [task]


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=200,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=403,
    ),
)
def test_list_access(client_as, task, role, expected):
    assert_answer(client_as(role).get(LIST), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=200,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=403,
    ),
)
def test_detail_access(client_as, task, role, expected):
    assert_answer(client_as(role).get(task.get_absolute_url()), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=403,
        owner=DONE,
        partner=403,
        report_client=LOGIN,
        admin=403,
        dpo=403,
    ),
)
def test_step_access(client_as, task, role, expected):
    response = client_as(role).post(step_url(task), {"state": "acknowledged"})
    assert_answer(response, expected, done=task.get_absolute_url())
    task.refresh_from_db()
    assert (task.state == FollowUpState.ACKNOWLEDGED) == (expected == DONE)


def test_another_departments_task_is_404(client_as, task, others):
    client = client_as("owner")
    assert client.get(others.get_absolute_url()).status_code == 404
    assert client.post(step_url(others), {"state": "acknowledged"}).status_code == 404
    page = client.get(LIST).content.decode()
    assert task.get_absolute_url() in page
    assert others.get_absolute_url() not in page
    assert client.get(LIST, {"department": others.department.pk}).status_code == 400


def test_the_chief_reads_every_department_and_narrows_to_one(client_as, task, others):
    client = client_as("chief")
    page = client.get(LIST).content.decode()
    assert task.get_absolute_url() in page and others.get_absolute_url() in page
    page = client.get(LIST, {"department": task.department.pk}).content.decode()
    assert task.get_absolute_url() in page and others.get_absolute_url() not in page
    assert (
        "Händelsen som värden loggade den" in client.get(task.get_absolute_url()).content.decode()
    )


def test_the_department_resolves_with_a_note_on_the_page(client_as, task):
    client = client_as("owner")
    client.post(step_url(task), {"state": "acknowledged"})
    response = client.post(step_url(task), {"state": "resolved", "note": ""})
    assert response.status_code == 400
    assert "Skriv vad som gjorts" in response.content.decode()
    response = client.post(step_url(task), {"state": "resolved", "note": "Klottret sanerat."})
    assert_answer(response, DONE, done=task.get_absolute_url())
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Klottret sanerat." in page
    assert "Åtgärdad" in page
    assert client.get(LIST).content.decode().count(task.get_absolute_url()) == 0
    assert task.get_absolute_url() in client.get(LIST, {"state": "all"}).content.decode()


def test_the_department_reads_what_and_where_not_the_hosts_free_text(client_as, host, department):
    incident, _created = incident_create(
        by=host,
        category=responsible(department),
        description="PERSONUPPGIFT beskrivning",
        place_text="PERSONUPPGIFT plats",
        people_involved="PERSONUPPGIFT namn",
        latitude=Decimal("59.612345"),
        longitude=Decimal("16.541234"),
    )
    page = client_as("owner").get(incident.department_task.get_absolute_url()).content.decode()
    assert "Klotter" in page
    assert "59.612345, 16.541234" in page
    assert "PERSONUPPGIFT" not in page
    assert incident.get_absolute_url() not in page


def test_overdue_tasks_are_marked_and_filtered(client_as, task, settings):
    later = timezone.now() + timedelta(days=settings.DEVIATION_OVERDUE_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        page = client_as("owner").get(LIST, {"overdue": "on"}).content.decode()
    assert task.get_absolute_url() in page
    assert "Försenad" in page


@pytest.mark.parametrize("role", ["chief", "owner"])
def test_the_list_runs_the_same_queries_for_one_task_as_for_many(client_as, task, host, role):
    client = client_as(role)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(5):
        department_task(task.department, by=host, code="littering")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.content.decode().count("/tasks/") >= 6
    assert len(many) == len(one)
