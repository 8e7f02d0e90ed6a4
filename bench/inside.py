"""The benchmark's steps that need Django, run by bench/run.py in a process of their own with
DATABASE_URL pointing at a benchmark database:

  python bench/inside.py prepare     what run.py needs: a token, a session, the SQL the API runs
  python bench/inside.py aggregates  the dashboard's aggregates against the same SQL, interleaved
  python bench/inside.py hosts N     N safety hosts on running shifts, with API tokens (bench/load.py)
  python bench/inside.py chief       the chief's token, session and CSV export's SQL (bench/audit.py)

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygghet.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import override  # noqa: E402

from incidents.models import Category, Incident  # noqa: E402
from patrols.models import Shift  # noqa: E402
from patrols.services import shift_plan, shift_start  # noqa: E402
from trygghet.accounts.models import User  # noqa: E402
from trygghet.accounts.roles import GROUP_NAMES, Role  # noqa: E402
from trygghet.accounts.services import api_token_create  # noqa: E402
from trygghet.core import exports  # noqa: E402
from trygghet.core.periods import PeriodKind, last_night, period  # noqa: E402
from trygghet.dashboard.selectors import Filters, area_choices, lagesbild  # noqa: E402
from trygghet.partners.models import ReportRow  # noqa: E402

HOST = "127.0.0.1"


def _client(**headers) -> Client:
    return Client(headers=headers, SERVER_NAME=HOST)


def conninfo() -> dict:
    """psycopg's connection parameters for the same database Django uses."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return params


@contextmanager
def captured_copy():
    """The COPY statement an export runs, caught instead of run, bound into one string."""
    seen = {}

    def catch(sql, params, **options):
        seen["sql"] = sql
        seen["params"] = params
        yield b""

    with mock.patch.object(exports, "stream_copy", catch):
        yield seen


def bound(sql: str, params) -> str:
    with psycopg.connect(**conninfo()) as conn:
        return psycopg.ClientCursor(conn).mogrify(sql, params)


def _token(user: User) -> str:
    return api_token_create(user=user, name=f"bench {timezone.now():%Y-%m-%d %H:%M:%S.%f}")[1]


def _session(user: User):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session


def _export_sql(api: Client, format: str) -> str:
    """The COPY statement behind `/api/v1/incidents/?format=…` for the client's user."""
    with captured_copy() as seen:
        response = api.get(f"/api/v1/incidents/?format={format}")
        assert isinstance(response, StreamingHttpResponse)
        response.getvalue()
    return bound(seen["sql"], seen["params"])


def chief() -> dict:
    """For the audit trail's cost (bench/audit.py): the chief reads personal data, so each of
    their lists and exports writes an audit row."""
    user = User.objects.get(username="chef")
    key = _token(user)
    session = _session(user)
    return {
        "token": key,
        "session": session.session_key,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csv": _export_sql(_client(authorization=f"Token {key}"), "csv"),
    }


def prepare() -> dict:
    reporter = User.objects.get(username="rapport")
    chief = User.objects.get(username="chef")
    key = _token(reporter)
    session = _session(chief)

    api = _client(authorization=f"Token {key}")
    statements = {name: _export_sql(api, name) for name in ("csv", "geojson")}
    # GeoJSON's reference is a plain COPY of the same features: its text format.
    statements["geojson_reference"] = statements["geojson"].rsplit(" TO STDOUT ", 1)[0] + (
        " TO STDOUT"
    )

    latest = last_night()
    stats_url = (
        f"/api/v1/stats/incidents/?from={latest - timedelta(days=364)}&to={latest}"
        "&bucket=week&group_by=area,category"
    )
    with CaptureQueriesContext(connection) as queries:
        assert api.get(stats_url).status_code == 200
    statements["stats"] = next(q["sql"] for q in queries if "GROUP BY" in q["sql"])

    count = Incident.objects.count()
    tenth = (
        Incident.objects.order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[count // 10 : count // 10 + 1]
        .get()
    )

    browser = _client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = str(session.session_key)
    counts = {}
    for name, url in (("dashboard", "/lagesbild/"), ("dashboard_year", year_url(latest))):
        browser.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts[name] = len(queries)
    return {
        "incidents": count,
        "partner_rows": ReportRow.objects.count(),
        "token": key,
        "session": session.session_key,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "copy": statements,
        "stats_url": stats_url,
        "tenth_after": tenth.isoformat(),
        "queries": counts,
        "conninfo": {k: str(v) for k, v in conninfo().items()},
    }


def year_url(latest) -> str:
    return f"/lagesbild/?period=custom&first={latest - timedelta(days=364)}&last={latest}"


def run(cursor, sql: str) -> None:
    """Execute and fetch every result, as the app does (some send two statements at once)."""
    cursor.execute(sql)
    while True:
        if cursor.description:
            cursor.fetchall()
        if not cursor.nextset():
            return


def aggregates(repeat: int) -> dict:
    """The dashboard's figures for a whole year (every incident) through the app, and the same
    statements sent straight to PostgreSQL, turn about."""
    chief = User.objects.get(username="chef")
    latest = last_night()
    chosen = period(PeriodKind.CUSTOM, first=latest - timedelta(days=364), last=latest)
    areas = area_choices(chief)

    def figures():
        with override("sv"):
            return lagesbild(user=chief, period=chosen, filters=Filters(), areas=areas)

    with CaptureQueriesContext(connection) as queries:
        figures()
    statements = [query["sql"] for query in queries]
    app, raw = [], []
    # As Django sends them: in autocommit, bound on the client (so two statements may go at once).
    with psycopg.connect(
        **conninfo(), autocommit=True, cursor_factory=psycopg.ClientCursor
    ) as conn:
        cursor = conn.cursor()
        cursor.execute("SET TimeZone TO 'UTC'")
        for _round in range(repeat):
            started = time.perf_counter()
            figures()
            app.append(time.perf_counter() - started)
            started = time.perf_counter()
            for sql in statements:
                run(cursor, sql)
            raw.append(time.perf_counter() - started)
    return {
        "statements": len(statements),
        "app": app,
        "sql": raw,
        "app_median": statistics.median(app),
        "sql_median": statistics.median(raw),
    }


def hosts(count: int) -> dict:
    """`count` safety hosts, each on a running shift of its own, each with an API token, and a
    category to log with."""
    group = Group.objects.get(name=GROUP_NAMES[Role.HOST])
    now = timezone.now()
    tokens = []
    for number in range(count):
        host, _created = User.objects.get_or_create(username=f"load{number:03}")
        host.groups.add(group)
        if not Shift.objects.active().for_host(host).exists():
            shift = shift_plan(
                planned_start=now - timedelta(minutes=5),
                planned_end=now + timedelta(hours=8),
                hosts=[host],
            )
            shift_start(shift=shift, by=host, vehicle=None, phone_line=None)
        tokens.append(api_token_create(user=host, name="load")[1])
    category = Category.objects.filter(active=True).order_by("position", "id")[0]
    return {"tokens": tokens, "category": category.pk}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        result = prepare()
    elif command == "chief":
        result = chief()
    elif command == "hosts":
        result = hosts(int(sys.argv[2]))
    elif command == "aggregates":
        result = aggregates(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
    else:
        sys.exit(__doc__)
    print(json.dumps(result))  # noqa: T201
