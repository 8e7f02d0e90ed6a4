"""/api/v1/stats/: figures by operational night, EST week, month and tertial, equal to counts
made here in Python from the same rows, across the clock changes."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from tests.access import by_role
from tests.api.test_exports import body_of, read_csv
from tests.incidents.factories import EscalationFactory, IncidentFactory, category
from tests.patrols.factories import AreaFactory
from trygghet.core.periods import tertial_of

STHLM = ZoneInfo("Europe/Stockholm")
URL = "/api/v1/stats/incidents/"

# Local wall-clock times around the spring clock change (Sunday 29 March 2026, 02:00 → 03:00),
# the end of a week, a month and a tertial, and the autumn change (Sunday 25 October, 03:00 →
# 02:00, so 02:30 happens twice).
MOMENTS = [
    datetime(2026, 3, 28, 23, 30, tzinfo=STHLM),  # Saturday night
    datetime(2026, 3, 29, 3, 30, tzinfo=STHLM),  # still Saturday's night, after the change
    datetime(2026, 3, 29, 11, 59, tzinfo=STHLM),  # Saturday's night ends at noon
    datetime(2026, 3, 29, 12, 0, tzinfo=STHLM),  # Sunday's night: the week's last
    datetime(2026, 3, 30, 1, 0, tzinfo=STHLM),  # Monday 01:00 is still Sunday's night
    datetime(2026, 3, 30, 12, 0, tzinfo=STHLM),  # Monday's night: the next week
    datetime(2026, 4, 1, 1, 0, tzinfo=STHLM),  # 31 March's night: March
    datetime(2026, 5, 1, 3, 0, tzinfo=STHLM),  # 30 April's night: the first tertial
    datetime(2026, 5, 1, 13, 0, tzinfo=STHLM),  # 1 May's night: the second tertial
    datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=STHLM),  # the first 02:30
    datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=STHLM),  # the second 02:30
    datetime(2026, 10, 25, 12, 30, tzinfo=STHLM),  # Sunday's night
]


def night_of(moment: datetime) -> date:
    """Independently of the app: the local date twelve hours earlier."""
    return (moment.astimezone(STHLM).replace(tzinfo=None) - timedelta(hours=12)).date()


def bucket_of(moment: datetime, bucket: str) -> date:
    night = night_of(moment)
    return {
        "night": night,
        "week": night - timedelta(days=night.weekday()),
        "month": night.replace(day=1),
        "tertial": date(night.year, [1, 1, 1, 1, 5, 5, 5, 5, 9, 9, 9, 9][night.month - 1], 1),
    }[bucket]


@pytest.fixture
def logged(persona):
    """Incidents at MOMENTS, alternating graffiti in one area and littering in another."""
    host = persona("host")
    areas = [AreaFactory(name="Centrum"), AreaFactory(name="Hamnen")]
    codes = ["graffiti", "littering"]
    rows = []
    for index, moment in enumerate(MOMENTS):
        rows.append(
            IncidentFactory(
                reported_by=host,
                occurred_at=moment.astimezone(UTC),
                area=areas[index % 2],
                category=category(codes[index % 2]),
            )
        )
    return rows


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(
        anonymous=401,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=200,
        report_client=200,
        admin=200,
    ),
)
@pytest.mark.parametrize("kind", ["incidents", "activities", "escalations"])
def test_access(client_as, db, role, status, kind):
    response = client_as(role).get(f"/api/v1/stats/{kind}/?from=2026-01-01&to=2026-01-31")
    assert response.status_code == status


@pytest.mark.parametrize("bucket", ["night", "week", "month", "tertial"])
def test_counts_per_bucket_equal_counts_made_in_python(client_as, logged, bucket):
    response = client_as("report_client").get(
        f"{URL}?from=2026-01-01&to=2026-12-31&bucket={bucket}"
        if bucket != "night"
        else f"{URL}?from=2026-03-01&to=2026-12-31&bucket=night"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    counted = {row["bucket"]: row["count"] for row in body["results"]}
    expected = Counter(bucket_of(moment, bucket).isoformat() for moment in MOMENTS)
    assert counted == expected
    assert body["total"] == len(MOMENTS)
    assert set(counted) <= set(body["buckets"])
    assert body["buckets"] == sorted(body["buckets"])


def test_the_week_of_the_spring_change_holds_sundays_night(client_as, logged):
    body = client_as("partner").get(f"{URL}?from=2026-03-23&to=2026-03-29&bucket=week").json()
    assert body["results"] == [{"bucket": "2026-03-23", "partial": False, "count": 5}]


def test_group_by_area_and_category(client_as, logged):
    body = (
        client_as("report_client")
        .get(f"{URL}?from=2026-01-01&to=2026-12-31&bucket=tertial&group_by=area,category")
        .json()
    )
    counted = {
        (row["bucket"], row["area_name"], row["category_code"]): row["count"]
        for row in body["results"]
    }
    expected = Counter(
        (
            bucket_of(incident.occurred_at, "tertial").isoformat(),
            incident.area.name,
            incident.category.code,
        )
        for incident in logged
    )
    assert counted == expected
    assert set(body["results"][0]) == {
        "bucket",
        "partial",
        "area",
        "area_name",
        "category",
        "category_code",
        "category_name",
        "count",
    }


def test_the_lists_filters_apply(client_as, logged):
    body = (
        client_as("report_client")
        .get(f"{URL}?from=2026-01-01&to=2026-12-31&group=graffiti&group_by=category")
        .json()
    )
    assert body["results"] == [
        {
            "category": category("graffiti").pk,
            "category_code": "graffiti",
            "category_name": "Klotter",
            "count": 6,
        }
    ]


def test_from_and_to_are_whole_operational_nights(client_as, logged):
    """1 May's night starts at noon: the 03:00 incident that morning is April's."""
    body = client_as("report_client").get(f"{URL}?from=2026-05-01&to=2026-05-01").json()
    assert body["total"] == 1
    assert body["buckets"] == []


def test_escalations_have_the_median_minutes_to_arrival(client_as, persona):
    host = persona("host")
    called = datetime(2026, 3, 28, 22, tzinfo=STHLM).astimezone(UTC)
    minutes = [10, 20, 45]
    for arrival in [*minutes, None]:
        EscalationFactory(
            incident=IncidentFactory(reported_by=host, occurred_at=called),
            called_at=called,
            arrived_at=called + timedelta(minutes=arrival) if arrival else None,
        )
    body = (
        client_as("report_client")
        .get(
            "/api/v1/stats/escalations/?from=2026-03-01&to=2026-03-31&bucket=month&group_by=service"
        )
        .json()
    )
    assert body["results"] == [
        {
            "bucket": "2026-03-01",
            "partial": False,
            "service": "police",
            "count": 4,
            "arrived": 3,
            "median_minutes_to_arrival": median(minutes),
        }
    ]


def test_a_tertial_is_four_months():
    assert tertial_of(date(2026, 8, 31)).first == date(2026, 5, 1)
    assert tertial_of(date(2026, 9, 1)).last == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-02-01&to=2026-01-01", "from", "from får inte vara efter to."),
        ("to=2026-01-01", "from", "Det här fältet är obligatoriskt."),
        ("from=2026-01-01&to=2026-01-01&area=999999", "area", "Okänt område."),
        (
            "from=2026-01-01&to=2026-01-01&group_by=area,weather",
            "group_by",
            "Det går inte att gruppera efter weather",
        ),
        (
            "from=2026-01-01&to=2026-01-01&bucket=year",
            "bucket",
            "Okänd indelning year: använd night, week, month, tertial.",
        ),
        ("from=2024-01-01&to=2026-01-01&bucket=night", "to", "Perioden får vara högst 366 nätter"),
        ("from=2026-01-01&to=2026-01-01&format=geojson", "format", "Okänt format geojson"),
        ("from=2026-01-01&to=2026-01-01&dialect=excel", "dialect", "Okänd CSV-dialekt excel"),
        ("from=förra veckan&to=2026-01-01", "from", "Ange ett datum som 2026-11-27."),
    ],
)
def test_bad_filters_are_400_with_a_swedish_message(client_as, db, query, field, message):
    response = client_as("report_client").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message), response.json()


def test_query_count_does_not_grow_with_rows(client_as, persona):
    client = client_as("report_client")
    url = f"{URL}?from=2026-01-01&to=2026-12-31&bucket=week&group_by=area,category"
    client.get(url)
    counts = []
    for rows in (1, 5):
        for _ in range(rows):
            IncidentFactory(
                reported_by=persona("host"),
                occurred_at=datetime(2026, 6, 1, 22, tzinfo=UTC),
                area=AreaFactory(),
            )
        with CaptureQueriesContext(connection) as queries:
            total = client.get(url).json()["total"]
        assert total == Incident.objects.count()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_schema_documents_the_stats_with_examples(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/stats/incidents/"]["get"]
    assert {"from", "to", "bucket", "group_by", "area", "group"} <= {
        parameter["name"] for parameter in operation["parameters"]
    }
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]


@pytest.mark.parametrize(
    ("query", "partial"),
    [
        # Wednesday 25 March to Tuesday 31 March: both weeks cut short.
        ("from=2026-03-25&to=2026-03-31&bucket=week", {"2026-03-23": True, "2026-03-30": True}),
        # Monday to Sunday: whole weeks.
        ("from=2026-03-23&to=2026-04-05&bucket=week", {"2026-03-23": False, "2026-03-30": False}),
        # March whole, April only to the 30th's night: whole too; May begins on the 1st.
        (
            "from=2026-03-01&to=2026-05-01&bucket=month",
            {"2026-03-01": False, "2026-04-01": False, "2026-05-01": True},
        ),  # fmt: skip
        ("from=2026-03-28&to=2026-03-29&bucket=night", {"2026-03-28": False, "2026-03-29": False}),
    ],
)
def test_buckets_cut_short_by_from_or_to_are_partial(client_as, logged, query, partial):
    client = client_as("report_client")
    rows = client.get(f"{URL}?{query}").json()["results"]
    assert {row["bucket"]: row["partial"] for row in rows} == partial
    header, *lines = read_csv(body_of(client.get(f"{URL}?{query}&format=csv")))
    assert header[:2] == ["bucket", "partial"]
    assert {line[0]: line[1] for line in lines} == {
        bucket: str(cut).lower() for bucket, cut in partial.items()
    }
