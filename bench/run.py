"""`make bench`: Trygghet's exports and lägesbild against PostgreSQL's own speed.

On demo data (`demo_data --incidents N`, N from BENCH_INCIDENTS, default 1 000 000, and a second
database of 10 000 for the dashboard's comparison), in databases of their own on the embedded
server (or beside DATABASE_URL's), never the development database. Each is served by gunicorn on
127.0.0.1 with one sync worker, as in production, and read over HTTP with a report client's token
(the exports) or the chief's session (the dashboard). The timed comparisons run in turns,
BENCH_REPEAT times (default 5), and their medians are compared:

  csv_export_vs_copy    GET /api/v1/incidents/?format=csv   vs  COPY (the same query) TO STDOUT
  geojson_vs_copy       GET /api/v1/incidents/?format=geojson  vs  COPY of the same features
  aggregates_vs_sql     the dashboard's figures for a year  vs  the same statements, raw
  stats_api_vs_sql      GET /api/v1/stats/incidents/ (a year by week, area, category)  vs  its SQL
  dashboard_1m_vs_10k   the dashboard page at N incidents  vs  at 10 000 (same query count),
                        each with a tenth as many partner report rows (BENCH_PARTNER_SHARE)
  export_peak_rss_mb    the worker's peak memory during the CSV export of all N (and of N/10)

It prints `name=value` lines and appends a dated table to bench/RESULTS.md. BENCH_ONLY names
the parts to run (exports, aggregates, dashboard, memory; all by default), for a run about one.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trygghet import database  # noqa: E402

PYTHON = sys.executable
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
SMALL = 10_000
# The partners' weekly report rows beside the incidents: 100 000 beside a million.
PARTNER_SHARE = float(os.environ.get("BENCH_PARTNER_SHARE", "0.1"))
LIMITS = {
    "csv_export_vs_copy": "≤ 1.2",
    "geojson_vs_copy": "≤ 1.5",
    "aggregates_vs_sql": "≤ 1.2",
    "stats_api_vs_sql": "",
    "dashboard_1m_vs_10k": "≤ 3",
    "export_peak_rss_mb": "< 150",
}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # noqa: T201


def database_url(name: str) -> str:
    """A database of its own: beside DATABASE_URL's when that is set, else on the embedded
    server."""
    given = os.environ.get("DATABASE_URL")
    if not given:
        return database.start(name=name)
    parts = urlsplit(given)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    database._create_database(urlunsplit(parts._replace(path="/postgres")), name)
    return url


def environment(url: str) -> dict:
    """Production settings, as gunicorn would run them, over plain HTTP on the loopback."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "DEMO": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(OUT / "static"),
        "API_THROTTLE_RATE": "1000000/hour",
        "LOG_LEVEL": "WARNING",
    }


def manage(url: str, *args: str, demo: bool = False) -> str:
    env = environment(url)
    if demo:
        env |= {"DEBUG": "true", "DEMO": "true"}
    return _run([PYTHON, "manage.py", *args], env)


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def inside(url: str, *args: str) -> dict:
    output = _run([PYTHON, "bench/inside.py", *args], environment(url))
    return json.loads(output.strip().splitlines()[-1])


def dataset(name: str, incidents: int) -> str:
    url = database_url(name)
    say(f"{name}: migrating and making {incidents:,} demo incidents (kept between runs)")
    manage(url, "migrate", "--noinput")
    started = time.perf_counter()
    manage(url, "demo_data", "--incidents", str(incidents), demo=True)
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        rows = partner_rows(conn, round(incidents * PARTNER_SHARE))
        say(f"{name}: ready in {time.perf_counter() - started:.0f} s, {rows:,} partner rows")
        conn.execute("VACUUM ANALYZE")
    return url


# The demo's year of weekly reports, filled up to the rows wanted (%% is the modulo: the
# statement takes a parameter): spread over its reports,
# nights, event categories and areas, the same each time.
PARTNER_ROWS_SQL = """
    WITH reports AS (
        SELECT array_agg(id ORDER BY id) AS ids, array_agg(week ORDER BY id) AS weeks
        FROM partners_weeklyreport
    ),
    categories AS (
        SELECT array_agg(id ORDER BY id) AS ids FROM incidents_category WHERE kind = 'event'
    ),
    areas AS (SELECT array_agg(id ORDER BY id) AS ids FROM patrols_area)
    INSERT INTO partners_reportrow (report_id, night, category_id, area_id, count, note)
    SELECT reports.ids[1 + n %% cardinality(reports.ids)],
           reports.weeks[1 + n %% cardinality(reports.ids)] + (n * 7919) %% 7,
           categories.ids[1 + (n * 31) %% cardinality(categories.ids)],
           areas.ids[1 + (n * 17) %% cardinality(areas.ids)],
           1 + (n * 13) %% 5,
           ''
    FROM generate_series(0, %s - 1) AS n, reports, categories, areas
    WHERE cardinality(reports.ids) > 0
"""


def partner_rows(conn, wanted: int) -> int:
    have = conn.execute("SELECT count(*) FROM partners_reportrow").fetchone()[0]
    if have < wanted:
        conn.execute(PARTNER_ROWS_SQL, [wanted - have])
    return conn.execute("SELECT count(*) FROM partners_reportrow").fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with one sync worker on a free port of the loopback, serving `app`."""

    def __init__(self, url: str, app: str = "trygghet.wsgi"):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                app,
                "--workers=1",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=900",
                "--log-level=warning",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=environment(url),
            stdout=subprocess.DEVNULL,
        )
        for _attempt in range(200):
            try:
                self.get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")

    @property
    def worker(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return int(children.read_text().split()[0])

    def get(self, path: str, headers: dict | None = None) -> tuple[int, int, float]:
        """Status, bytes and seconds for the whole body, read as a client would."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        size = 0
        while chunk := response.read(256 * 1024):
            size += len(chunk)
        conn.close()
        return response.status, size, time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def copy_seconds(url: str, sql: str) -> tuple[int, float]:
    """COPY … TO STDOUT read through psycopg, as the export reads it."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.execute("SET TimeZone TO 'Europe/Stockholm'")
        started = time.perf_counter()
        size = 0
        with conn.cursor().copy(sql) as copy:
            for data in copy:
                size += len(data)
        return size, time.perf_counter() - started


def query_seconds(url: str, sql: str) -> float:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute(sql).fetchall()
        return time.perf_counter() - started


def peak_rss_mb(server: Server, path: str, headers: dict) -> float:
    """The worker's peak resident memory during one request: the kernel's high-water mark,
    reset first, checked against samples taken every 10 ms."""
    pid = server.worker
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(_status_kb(pid, "VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    status, _size, _seconds = server.get(path, headers)
    stop.set()
    sampler.join()
    assert status == 200, status
    return max(_status_kb(pid, "VmHWM"), *samples) / 1024


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def turns(repeat: int, *measures) -> list[list[float]]:
    """Each measure `repeat` times, in turns, so that a busy moment hits all of them."""
    times: list[list[float]] = [[] for _measure in measures]
    for _round in range(repeat):
        for index, measure in enumerate(measures):
            times[index].append(measure())
    return times


def ratio(numerator: list[float], denominator: list[float]) -> float:
    return statistics.median(numerator) / statistics.median(denominator)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(_meminfo("MemTotal") / 1024 / 1024 + 0.5)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GB RAM, Linux {platform.release()}"


def _meminfo(field: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    incidents = int(os.environ.get("BENCH_INCIDENTS", "1000000"))
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    only = os.environ.get("BENCH_ONLY", "exports,aggregates,dashboard,memory").split(",")
    OUT.mkdir(exist_ok=True)
    big_url = dataset(f"trygghet_bench_{incidents}", incidents)
    small_url = dataset(f"trygghet_bench_{SMALL}", SMALL)
    say("collecting static files for the production settings")
    manage(big_url, "collectstatic", "--noinput")

    big, small = inside(big_url, "prepare"), inside(small_url, "prepare")
    say(
        f"{big['incidents']:,} and {small['incidents']:,} incidents, {big['partner_rows']:,} and "
        f"{small['partner_rows']:,} partner rows; dashboard queries {big['queries']} and "
        f"{small['queries']}"
    )
    results: dict[str, float | str] = {}
    details: list[str] = []

    servers = Server(big_url), Server(small_url)
    try:
        big_server, small_server = servers
        token = {"Authorization": f"Token {big['token']}"}
        big_server.get("/api/v1/incidents/?page_size=1", token)  # warm the worker

        if "exports" in only:
            for name, label, format, reference in (
                ("csv_export_vs_copy", "CSV", "csv", "csv"),
                ("geojson_vs_copy", "GeoJSON", "geojson", "geojson_reference"),
            ):
                say(f"{label}: the API against COPY of the same rows")
                api, copy = turns(
                    repeat,
                    lambda format=format: big_server.get(
                        f"/api/v1/incidents/?format={format}", token
                    )[2],
                    lambda reference=reference: copy_seconds(big_url, big["copy"][reference])[1],
                )
                results[name] = ratio(api, copy)
                details.append(
                    f"{label}: API {statistics.median(api):.2f} s, COPY {statistics.median(copy):.2f} s"
                )

        if "aggregates" in only:
            say("Aggregates: the dashboard's figures for a year against the same SQL")
            figures = inside(big_url, "aggregates", str(repeat))
            results["aggregates_vs_sql"] = figures["app_median"] / figures["sql_median"]
            details.append(
                f"Aggregates ({figures['statements']} statements): app {figures['app_median']:.2f} s,"
                f" SQL {figures['sql_median']:.2f} s"
            )
            api, sql = turns(
                repeat,
                lambda: big_server.get(big["stats_url"], token)[2],
                lambda: query_seconds(big_url, big["copy"]["stats"]),
            )
            results["stats_api_vs_sql"] = ratio(api, sql)
            details.append(
                f"Stats API: {statistics.median(api):.2f} s, SQL {statistics.median(sql):.2f} s"
            )

        if "dashboard" in only:
            say("Dashboard: N against 10 000")
            cookie = {
                big_server: {"Cookie": f"{big['session_cookie']}={big['session']}"},
                small_server: {"Cookie": f"{small['session_cookie']}={small['session']}"},
            }
            for server in servers:
                server.get("/lagesbild/", cookie[server])
            at_n, at_small = turns(
                repeat,
                lambda: big_server.get("/lagesbild/", cookie[big_server])[2],
                lambda: small_server.get("/lagesbild/", cookie[small_server])[2],
            )
            results["dashboard_1m_vs_10k"] = ratio(at_n, at_small)
            same = big["queries"]["dashboard"] == small["queries"]["dashboard"]
            results["dashboard_queries"] = f"{big['queries']['dashboard']}" + ("" if same else "≠")
            details.append(
                f"Dashboard (last 7 nights): {statistics.median(at_n) * 1000:.0f} ms at N, "
                f"{statistics.median(at_small) * 1000:.0f} ms at 10 000, "
                f"{big['queries']['dashboard']} and {small['queries']['dashboard']} queries; "
                f"{big['partner_rows']:,} and {small['partner_rows']:,} partner rows"
            )
            _status, _size, seconds = big_server.get("/lagesbild/report/", cookie[big_server])
            details.append(f"Printable report (last 7 nights) at N: {seconds * 1000:.0f} ms")

    finally:
        for server in servers:
            server.stop()

    if "memory" in only:
        say("Memory: a fresh worker during the exports of N/10 and of N incidents")
        fresh = Server(big_url)
        try:
            fresh.get("/api/v1/incidents/?page_size=1", token)
            tenth = f"/api/v1/incidents/?format=csv&from={quote(big['tenth_after'])}"
            results["export_peak_rss_mb_tenth"] = peak_rss_mb(fresh, tenth, token)
            results["export_peak_rss_mb"] = peak_rss_mb(
                fresh, "/api/v1/incidents/?format=csv", token
            )
            results["geojson_peak_rss_mb"] = peak_rss_mb(
                fresh, "/api/v1/incidents/?format=geojson", token
            )
        finally:
            fresh.stop()

    for name, value in results.items():
        print(f"{name}={value:.2f}" if isinstance(value, float) else f"{name}={value}")  # noqa: T201
    chosen = "" if "BENCH_ONLY" not in os.environ else f" BENCH_ONLY={','.join(only)}"
    write_results(
        results, details, url=big_url, incidents=big["incidents"], repeat=repeat, only=chosen
    )


def write_results(
    results: dict, details: list[str], *, url: str, incidents: int, repeat: int, only: str = ""
) -> None:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        version = conn.execute("SHOW server_version").fetchall()[0][0]
    lines = [
        "",
        f"## {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {incidents:,} incidents".replace(
            ",", " "
        ),
        "",
        f"{machine()}; Python {platform.python_version()}, PostgreSQL {version}, gunicorn with "
        f"one sync worker on 127.0.0.1; medians of {repeat} rounds in turns.",
        "",
        "| figure | value | aim |",
        "|---|---|---|",
        *(
            f"| {name} | {value:.2f} | {LIMITS.get(name, '')} |"
            if isinstance(value, float)
            else f"| {name} | {value} | {LIMITS.get(name, '')} |"
            for name, value in results.items()
        ),
        "",
        *(f"- {line}" for line in details),
        "",
        f"Command: `BENCH_INCIDENTS={incidents} BENCH_REPEAT={repeat}{only} make bench`",
    ]
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nEach `make bench` appends its figures here (see "
            "bench/run.py for what each one measures).\n"
        )
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    say(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
