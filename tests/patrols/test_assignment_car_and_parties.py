"""An assignment can name the car it is for (that car's phone lists it first) and several
parties consulted, each with its date, on the chief's form and in the API."""

from datetime import date, time

import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patrols import panels
from patrols.models import Assignment, Priority
from patrols.selectors import areas_on_night
from tests.patrols.factories import (
    DURING,
    FRIDAY_21,
    AssignmentFactory,
    VehicleFactory,
    make_shift,
)

FRIDAY = date(2026, 11, 27)


def test_the_cars_own_areas_come_first_whatever_their_priority(db):
    car, other_car = VehicleFactory(), VehicleFactory()
    urgent = AssignmentFactory(priority=Priority.HIGH, start_time=time(19), end_time=time(20))
    mine = AssignmentFactory(priority=Priority.LOW, vehicle=car)
    theirs = AssignmentFactory(priority=Priority.NORMAL, vehicle=other_car)
    entries = areas_on_night(FRIDAY, car)
    assert [e.area for e in entries] == [mine.area, urgent.area, theirs.area]
    assert [e.for_car for e in entries] == [True, False, False]
    # Without a car (the chief's overview) priority alone orders them.
    assert [e.area for e in areas_on_night(FRIDAY)] == [urgent.area, theirs.area, mine.area]


def test_the_hosts_phone_shows_its_cars_areas_first(persona):
    car = VehicleFactory()
    AssignmentFactory(priority=Priority.HIGH)
    mine = AssignmentFactory(priority=Priority.LOW, vehicle=car)
    make_shift(hosts=[persona("host")], start=FRIDAY_21, active=True, vehicle=car)
    request = RequestFactory().get("/")
    request.user = persona("host")
    with time_machine.travel(DURING, tick=False):
        cards = panels.tonight(request)["cards"]
    assert cards[0]["area"] == mine.area and cards[0]["tonight"].for_car


def _form(area, car, **extra):
    return {
        "area": area.pk,
        "reason": "Inbrott",
        "priority": 1,
        "weekdays": [4, 5],
        "start_time": "21:00",
        "end_time": "02:00",
        "vehicle": car.pk,
        "valid_from": "2026-11-27",
        "valid_to": "",
        "consulted_with": "police",
        "consulted_on": "2026-11-20",
        "consultation_note": "",
        "consulted-TOTAL_FORMS": "2",
        "consulted-INITIAL_FORMS": "0",
        "consulted-MIN_NUM_FORMS": "0",
        "consulted-MAX_NUM_FORMS": "1000",
        "consulted-0-party": "Bostadsbolaget",
        "consulted-0-consulted_on": "2026-11-18",
        "consulted-0-note": "",
        "consulted-1-party": "",
        "consulted-1-consulted_on": "",
        "consulted-1-note": "",
        **extra,
    }


def test_the_chief_names_the_car_and_the_parties_on_the_form(client_as, db):
    area, car = AssignmentFactory().area, VehicleFactory()
    client = client_as("chief")
    response = client.post(
        reverse("patrols:assignment-create"),
        _form(
            area,
            car,
            **{"consulted-1-party": "Vallbyskolan", "consulted-1-consulted_on": "2026-11-19"},
        ),
    )
    assert response.status_code == 302
    made = Assignment.objects.latest("id")
    assert made.vehicle == car
    assert [(c.party, c.consulted_on) for c in made.consultations.all()] == [
        ("Bostadsbolaget", date(2026, 11, 18)),
        ("Vallbyskolan", date(2026, 11, 19)),
    ]
    page = client.get(reverse("patrols:assignment-update", args=[made.pk])).content.decode()
    assert 'value="Vallbyskolan"' in page


def test_a_party_without_a_date_is_a_form_error(client_as, db):
    area, car = AssignmentFactory().area, VehicleFactory()
    response = client_as("chief").post(
        reverse("patrols:assignment-create"), _form(area, car, **{"consulted-0-consulted_on": ""})
    )
    assert response.status_code == 200
    assert Assignment.objects.count() == 1


def test_the_api_writes_and_reads_the_parties(client_as, persona, db):
    area = AssignmentFactory().area
    client = client_as("chief")
    made = client.post(
        "/api/v1/assignments/",
        {
            "area": area.pk,
            "reason": "Bränder",
            "priority": 2,
            "valid_from": "2026-11-27",
            "weekdays": [5],
            "start_time": "21:00",
            "end_time": "23:00",
            "consulted_with": "rescue",
            "consulted_on": "2026-11-20",
            "consultations": [
                {"party": "Polisen", "consulted_on": "2026-11-21", "note": "Lokalpolisen"},
                {"party": "Skolan", "consulted_on": "2026-11-22"},
            ],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    assert [c["party"] for c in made.json()["consultations"]] == ["Polisen", "Skolan"]
    changed = client.patch(
        f"/api/v1/assignments/{made.json()['id']}/",
        {"consultations": [{"party": "Bostadsbolaget", "consulted_on": "2026-11-23"}]},
        content_type="application/json",
    )
    assert [c["party"] for c in changed.json()["consultations"]] == ["Bostadsbolaget"]
    bad = client.patch(
        f"/api/v1/assignments/{made.json()['id']}/",
        {"consultations": [{"party": "X", "consulted_on": "9999-01-01"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    partner = client_as("partner").get(f"/api/v1/assignments/{made.json()['id']}/").json()
    assert "consultations" not in partner


def test_the_assignment_list_keeps_its_query_count(client_as, django_assert_num_queries, db):
    client = client_as("chief")
    AssignmentFactory().consultations.create(party="Polisen", consulted_on=date(2026, 11, 1))
    client.get("/api/v1/assignments/")
    # Whatever the request costs besides (session, throttle, audit trail), more rows cost nothing.
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/assignments/")
    for _n in range(4):
        AssignmentFactory().consultations.create(party="Skolan", consulted_on=date(2026, 11, 2))
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(client.get("/api/v1/assignments/").json()["results"]) == 5
