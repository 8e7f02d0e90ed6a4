"""The data protection officer's page and `manage.py audit_report`: by person, by record ("who has
seen this?") and by period; who read what, never the records' contents."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.access import LOGIN, assert_answer, by_role
from tests.incidents.factories import IncidentFactory
from trygghet.audit.models import Read
from trygghet.core.retention import run_retention

STOCKHOLM = ZoneInfo("Europe/Stockholm")
URL = reverse("audit:trail")


@pytest.fixture
def trail(persona, shift):
    """Two incidents; the chief opened the first on 1 and 20 November, the host the second on
    20 November, and the chief listed the incidents."""
    first = IncidentFactory(reported_by=persona("host"), shift=shift)
    second = IncidentFactory(reported_by=persona("host"), shift=shift)

    def read(role, incident, day, **fields):
        return Read.objects.create(
            user=persona(role),
            subject_type="incidents.incident",
            subject_id=incident and incident.pk,
            what=f"/incidents/{incident.pk}/" if incident else "/incidents/",
            at=datetime(2026, 11, day, 22, 0, tzinfo=STOCKHOLM),
            address="10.0.0.1",
            **fields,
        )

    read("chief", first, 1)
    read("chief", first, 20)
    read("host", second, 20, reason="follow_up", reason_note="Överlämning")
    read("chief", None, 21, filters={"state": "new"}, rows=2)
    return first, second


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=403,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=200,
    ),
)
def test_trail_access(client_as, role, expected):
    assert_answer(client_as(role).get(URL), expected)


def _rows(response):
    return response.context["page"].object_list


def test_by_person_by_record_and_by_period(client_as, trail):
    first, second = trail
    client = client_as("dpo")

    assert len(_rows(client.get(URL))) == 4
    assert [read.user.username for read in _rows(client.get(URL, {"user": "vard1"}))] == ["vard1"]
    who_saw_first = client.get(URL, {"object": f"incidents.Incident:{first.pk}"})
    assert [read.at.day for read in _rows(who_saw_first)] == [20, 1]
    period = client.get(URL, {"first_day": "2026-11-20", "last_day": "2026-11-20"})
    assert {read.subject_id for read in _rows(period)} == {first.pk, second.pk}


def test_the_officer_sees_who_read_what_never_the_contents(client_as, trail):
    page = client_as("dpo").get(URL).content.decode()

    assert "vard1" in page and "Överlämning" in page and "state=new" in page
    assert "PERSONUPPGIFT" not in page


@pytest.mark.parametrize(
    "query",
    [{"object": "incident"}, {"first_day": "2026-13-01"}, {"who": "vard1"}],
    ids=["bad record", "bad day", "unknown parameter"],
)
def test_bad_filters_are_a_400(client_as, trail, query):
    response = client_as("dpo").get(URL, query)
    assert response.status_code == 400
    assert not _rows(response)


def test_the_retention_log_is_on_the_page(client_as, db):
    run_retention(dry_run=True)

    page = client_as("dpo").get(URL).content.decode()

    assert "reads of personal data" in page and "provkörning" in page


def report(*args):
    out = io.StringIO()
    call_command("audit_report", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_report_by_person_and_period(trail):
    rows = report("--user", "chef", "--from", "2026-11-02", "--to", "2026-11-30")

    assert [(row["user"], row["record"], row["filter"], row["rows"]) for row in rows] == [
        ("chef", "", "state=new", "2"),
        ("chef", str(trail[0].pk), "", ""),
    ]
    assert rows[1]["at"] == "2026-11-20T22:00:00+01:00"


def test_report_who_has_seen_a_record(trail):
    rows = report("--object", f"incidents.Incident:{trail[1].pk}")

    assert [(row["user"], row["reason"], row["reason_note"]) for row in rows] == [
        ("vard1", "follow_up", "Överlämning")
    ]


@pytest.mark.parametrize("args", [["--object", "Incident"], ["--from", "30/11/2026"]])
def test_report_refuses_bad_filters(db, args):
    with pytest.raises(CommandError):
        report(*args)
