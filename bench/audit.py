"""`make bench-audit`: what the audit trail of reads costs, against PostgreSQL's own speed.

On the benchmark's demo database of N incidents (BENCH_INCIDENTS, default 1 000 000; made by
bench/run.py's `dataset`, kept between runs), two gunicorn servers with one sync worker each:
the application as it runs (trail on) and the same with the trail bypassed (bench/audit_off.py,
trail off). The chief reads, so every request writes its row. In turns, BENCH_REPEAT times
(default 5), medians compared:

  list_on_vs_off     GET /incidents/ (the list page, 50 rows and the count of all N)
  export_on_vs_off   GET /api/v1/incidents/?format=csv (all N, with the personal columns)
  export_vs_copy     the export with the trail on  vs  COPY (the same query) TO STDOUT

It prints `name=value` lines and appends a dated table to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import statistics
from datetime import datetime

import psycopg
from run import (
    RESULTS,
    Server,
    copy_seconds,
    dataset,
    inside,
    machine,
    manage,
    ratio,
    say,
    turns,
)

LIMITS = {"list_on_vs_off": "≤ 1.05", "export_on_vs_off": "≤ 1.05", "export_vs_copy": "≤ 1.2"}
# The list page answers in well under a second, so each turn times it many times: one commit
# (the audit row's) is about 12 ms on a busy shared disk, which noise would otherwise hide.
LIST_READS_PER_TURN = 20


def timed(server: Server, path: str, headers: dict) -> float:
    status, _size, seconds = server.get(path, headers)
    assert status == 200, (path, status)
    return seconds


def main() -> None:
    incidents = int(os.environ.get("BENCH_INCIDENTS", "1000000"))
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    url = dataset(f"trygghet_bench_{incidents}", incidents)
    say("collecting static files for the production settings")
    manage(url, "collectstatic", "--noinput")
    chief = inside(url, "chief")
    token = {"Authorization": f"Token {chief['token']}"}
    cookie = {"Cookie": f"{chief['session_cookie']}={chief['session']}"}
    on, off = Server(url), Server(url, app="bench.audit_off:application")
    try:
        for server in (on, off):  # warm both workers
            timed(server, "/incidents/", cookie)
            timed(server, "/api/v1/incidents/?page_size=1", token)

        def list_seconds(server: Server) -> float:
            return sum(timed(server, "/incidents/", cookie) for _ in range(LIST_READS_PER_TURN))

        say("The list page with the trail on and off")
        list_on, list_off = turns(repeat, lambda: list_seconds(on), lambda: list_seconds(off))
        say("The CSV export with the trail on and off, and COPY")
        export = "/api/v1/incidents/?format=csv"
        export_on, export_off, copy = turns(
            repeat,
            lambda: timed(on, export, token),
            lambda: timed(off, export, token),
            lambda: copy_seconds(url, chief["csv"])[1],
        )
    finally:
        on.stop()
        off.stop()
    results = {
        "list_on_vs_off": ratio(list_on, list_off),
        "export_on_vs_off": ratio(export_on, export_off),
        "export_vs_copy": ratio(export_on, copy),
    }
    per_list = LIST_READS_PER_TURN
    details = [
        f"List page: {statistics.median(list_on) / per_list * 1000:.0f} ms on, "
        f"{statistics.median(list_off) / per_list * 1000:.0f} ms off",
        f"CSV export: {statistics.median(export_on):.2f} s on, "
        f"{statistics.median(export_off):.2f} s off, COPY {statistics.median(copy):.2f} s",
    ]
    for name, value in results.items():
        print(f"{name}={value:.3f}")  # noqa: T201
    write_results(results, details, url=url, incidents=incidents, repeat=repeat)


def write_results(results: dict, details: list[str], *, url: str, incidents: int, repeat: int):
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        version = conn.execute("SHOW server_version").fetchall()[0][0]
        load = os.getloadavg()
    lines = [
        "",
        f"## {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: the audit trail on and off, "
        + f"{incidents:,} incidents".replace(",", " "),
        "",
        f"{machine()}; Python {platform.python_version()}, PostgreSQL {version}, two gunicorn "
        f"servers with one sync worker each on 127.0.0.1, the chief's session and token; medians "
        f"of {repeat} rounds in turns (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        "at the end).",
        "",
        "| figure | value | aim |",
        "|---|---|---|",
        *(f"| {name} | {value:.3f} | {LIMITS[name]} |" for name, value in results.items()),
        "",
        *(f"- {line}" for line in details),
        "",
        f"Command: `BENCH_INCIDENTS={incidents} BENCH_REPEAT={repeat} make bench-audit`",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    say(f"appended to {RESULTS.name}")


if __name__ == "__main__":
    main()
