import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.exceptions import ParseError

from incidents.models import Incident
from patrols.models import Shift, Visit
from tests.incidents.factories import IncidentFactory
from tests.patrols.factories import AreaFactory, make_shift
from trygghet.core.drf import MAX_JSON_DEPTH, BoundedJSONParser
from trygghet.core.parsing import (
    DayField,
    MomentField,
    MomentSerializerField,
    parse_day,
)

YEAR_ONE = datetime(1, 1, 1, tzinfo=UTC)
# 2026-10-25: the clocks go back at 03:00 summer time (01:00 UTC) to 02:00 winter time.
FIRST_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time
SECOND_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 winter time
# 2027-03-28: the clocks go forward at 02:00 winter time (01:00 UTC) to 03:00 summer time.
SPRING_CHANGE = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_day_outside_the_bounds_is_refused_with_the_bounds(text):
    with pytest.raises(ValidationError) as caught:
        parse_day(text)
    assert caught.value.code == "out_of_range"
    assert "1 januari 2000" in caught.value.messages[0]


@time_machine.travel(datetime(2026, 11, 30, 12, tzinfo=UTC))
def test_a_day_up_to_a_year_ahead_is_read():
    assert parse_day("2027-12-01") == date(2027, 12, 1)
    with pytest.raises(ValidationError):
        parse_day("2027-12-02")


def test_a_day_that_is_no_date_says_how_to_write_one():
    with pytest.raises(ValidationError) as caught:
        parse_day("27/11")
    assert "2026-11-27" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("now", "expected"),
    [(FIRST_0230, FIRST_0230), (SECOND_0230, SECOND_0230)],
    ids=["first-pass-summer-time", "second-pass-winter-time"],
)
def test_the_repeated_hour_is_the_moment_it_was_filled_in(now, expected):
    with time_machine.travel(now, tick=False):
        assert MomentField().clean("2026-10-25T02:30") == expected


def test_the_repeated_hour_read_later_is_the_second_pass():
    with time_machine.travel(datetime(2026, 10, 25, 9, tzinfo=UTC), tick=False):
        assert MomentField().clean("2026-10-25T02:30") == SECOND_0230


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    with time_machine.travel(SPRING_CHANGE.replace(hour=5), tick=False):
        moment = MomentField().clean("2027-03-28T02:30")
    # 02:30 does not exist; it is read as 03:30 summer time (01:30 UTC).
    assert moment == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00Z"])
def test_a_moment_outside_the_bounds_is_refused_before_any_arithmetic(text):
    with pytest.raises(ValidationError):
        MomentField().clean(text)
    field = MomentSerializerField()
    with pytest.raises(Exception) as caught:
        field.run_validation(text)
    assert "2000" in str(caught.value.detail)


def test_day_field_refuses_year_one():
    with pytest.raises(ValidationError):
        DayField().clean("0001-01-01")


def _parse(body: bytes):
    request = RequestFactory().post("/", body, content_type="application/json")
    return BoundedJSONParser().parse(request, "application/json", {})


def test_a_deeply_nested_body_is_a_parse_error():
    with pytest.raises(ParseError):
        _parse(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ParseError):
        _parse(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert _parse(json.dumps({"a": [[1, 2]]}).encode()) == {"a": [[1, 2]]}


def test_a_body_larger_than_the_upload_limit_is_a_parse_error(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(ParseError):
        _parse(json.dumps({"description": "x" * 200}).encode())


@pytest.fixture
def shift(persona):
    return make_shift(hosts=[persona("host")], active=True)


@pytest.fixture
def incident(persona, shift):
    return IncidentFactory(reported_by=persona("host"), shift=shift)


@pytest.mark.parametrize("field", ["occurred_at", "created_at"])
def test_the_database_refuses_an_incident_time_it_could_not_give_back(incident, field):
    """Whatever the path (the shell, an import, the admin): year 1 is BC in UTC, and psycopg
    cannot read it back, so one such row would break every list."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(**{field: YEAR_ONE})
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(**{field: datetime(2100, 1, 1, tzinfo=UTC)})


def test_the_database_refuses_a_shift_or_visit_time_it_could_not_give_back(shift, persona):
    visit = Visit.objects.create(
        shift=shift, area=AreaFactory(), arrived_at=timezone.now(), recorded_by=persona("host")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(left_at=YEAR_ONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(actual_end=datetime(9999, 1, 1, tzinfo=UTC))


def test_every_event_time_has_its_constraint():
    """A new time field is bounded too, or this names it."""
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in {"incidents", "patrols", "properties", "dispatch"}:
            continue
        if model._meta.auto_created or model.__name__.endswith(("Event", "Version")):
            continue
        names = {constraint.name for constraint in model._meta.constraints}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField | models.DateField):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            expected = f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_readable"
            if expected not in names:
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.parametrize(
    ("role", "url", "field"),
    [
        ("report_client", "/api/v1/stats/incidents/?from=9999-12-20&to=9999-12-31", "from"),
        ("report_client", "/api/v1/stats/escalations/?from=0001-01-01&to=0001-01-07", "from"),
        ("chief", "/api/v1/shifts/?from=0001-01-01", "from"),
        ("chief", "/api/v1/visits/?to=9999-12-31", "to"),
        ("chief", "/api/v1/incidents/?occurred_after=0001-01-01T00:00", "occurred_after"),
        ("chief", "/api/v1/property-checks/?to=9999-12-31", "to"),
        ("chief", "/api/v1/presence/?first=0001-01-01&last=0001-01-07", "first"),
        ("chief", "/api/v1/assignments/?valid_on=9999-12-31", "valid_on"),
    ],
)
def test_a_date_out_of_bounds_in_the_api_is_a_400_naming_the_parameter(client_as, role, url, field):
    response = client_as(role).get(url)
    assert response.status_code == 400
    assert "1 januari 2000" in " ".join(response.json()[field])


@pytest.mark.parametrize(
    "url",
    [
        "/incidents/?date_to=9999-12-31",
        "/incidents/?date_from=0001-01-01",
        "/lagesbild/?period=night&on=0001-01-01",
        "/lagesbild/?period=custom&first=0001-01-01&last=0001-01-02",
        "/patrols/shifts/?week=0001-01-01",
        "/patrols/shifts/new/?day=9999-12-31",
        "/dispatch/history/?last_night=9999-12-31",
    ],
)
def test_a_date_out_of_bounds_on_a_page_is_a_400_that_says_so(client_as, url):
    response = client_as("chief").get(url)
    assert response.status_code == 400
    assert "1 januari 2000" in response.content.decode()


def test_the_presence_page_says_what_is_wrong_with_year_one(client_as):
    response = client_as("chief").get("/patrols/presence/?first=0001-01-01&last=0001-01-02")
    assert "1 januari 2000" in response.content.decode()


def test_copying_a_week_to_year_9999_is_a_400(client_as):
    response = client_as("chief").post(
        "/api/v1/shifts/copy-week/",
        {"week": "2026-11-23", "to_week": "9999-12-27"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "to_week" in response.json()


def test_the_chiefs_shift_form_refuses_year_one(client_as, persona):
    response = client_as("chief").post(
        "/patrols/shifts/new/",
        {"day": "0001-01-01", "start": "21:00", "end": "03:00", "hosts": [persona("host").pk]},
    )
    assert response.status_code in (200, 400)
    assert "1 januari 2000" in response.content.decode()


def test_a_body_nested_100_000_deep_is_a_400(client_as):
    response = client_as("chief").generic(
        "POST", "/api/v1/areas/", "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_chief_cannot_move_an_incident_to_year_one(client_as, incident):
    response = client_as("chief").post(
        f"/incidents/{incident.pk}/edit/",
        {
            "category": incident.category_id,
            "occurred_at": "0001-01-01T00:00",
            "source": "own_observation",
        },
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.occurred_at.year > 2000
    assert client_as("chief").get("/api/v1/incidents/").status_code == 200
