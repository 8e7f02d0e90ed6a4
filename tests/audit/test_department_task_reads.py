"""The street-issue tasks' pages: a task's page writes one read row when it shows a step's note
(the page's only free text), for the chief and the department alike; the list shows no personal
column and writes none; a page whose row cannot be written is refused."""

import pytest

from incidents.services import department_task_transition
from tests.incidents.factories import department_task
from tests.patrols.factories import make_shift

LIST = "/tasks/"


@pytest.fixture
def task(persona, department):
    host = persona("host")
    make_shift(hosts=[host], active=True)
    return department_task(department, by=host)


@pytest.fixture
def noted(task, persona):
    department_task_transition(task=task, to="acknowledged", by=persona("owner"))
    department_task_transition(
        task=task, to="resolved", by=persona("owner"), note="PERSONUPPGIFT Anna på nr 4"
    )
    return task


@pytest.mark.parametrize(("role", "user"), [("chief", "chef"), ("owner", "agare")])
def test_a_task_page_showing_a_note_writes_one_row(client_as, noted, reads, role, user):
    response = client_as(role).get(noted.get_absolute_url())

    assert response.status_code == 200
    assert "PERSONUPPGIFT" in response.content.decode()
    assert reads() == [(user, "incidents.departmenttask", noted.pk, None)]


@pytest.mark.parametrize("role", ["chief", "owner"])
def test_a_task_page_without_notes_and_the_list_write_none(client_as, task, reads, role):
    client = client_as(role)
    for url in (task.get_absolute_url(), LIST, f"{LIST}?state=open"):
        assert client.get(url).status_code == 200, url
    assert reads() == []


def test_a_refused_steps_page_shows_the_notes_only_with_its_row(client_as, noted, reads):
    response = client_as("owner").post(f"{noted.get_absolute_url()}step/", {"state": "resolved"})

    assert response.status_code == 400
    assert [read[2] for read in reads()] == [noted.pk]


def test_a_task_page_whose_row_cannot_be_written_is_refused(client_as, noted, refusing_inserts):
    response = client_as("chief").get(noted.get_absolute_url())

    assert response.status_code == 503
    assert "PERSONUPPGIFT" not in response.content.decode()
    assert "kunde inte" in response.content.decode()
