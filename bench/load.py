"""`make load`: safety hosts posting observations at once, as on a busy night.

LOAD_HOSTS hosts (default 50), each on a running shift with an API token, post observations to
the quick-log API (POST /api/v1/incidents/) for LOAD_SECONDS (default 60), as fast as the server
answers. Every submission carries a new client key, and every fifth is sent twice with the same
key, as a phone's outbox resends; a submission that was not acknowledged is resent with its key
until it is, a second later. Four rounds, on 127.0.0.1 only:

  make-run         the server `make run` starts (`make serve`: gunicorn, 2 workers × 4 threads)
  gunicorn-4       gunicorn with 4 sync workers and production settings, as the README runs it
  *-outage         the same, with PostgreSQL stopped for LOAD_OUTAGE_SECONDS (default 10) in
                   the middle

The database is one of its own on an embedded server of its own (bench/out/load-postgres), so
stopping it disturbs nothing else. After each round the rows are compared with the answers:

  lost        acknowledged (200/201) client keys with no row: must be 0
  duplicates  rows beyond one per key, and resends answered with another incident: must be 0
  errors      answers other than 200/201, and failed connections: 0 outside an outage

It prints the figures and appends them to bench/RESULTS.md. LOAD_ROUNDS picks rounds by name.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import OUT, PYTHON, RESULTS, ROOT, environment, free_port, inside, machine, manage, say  # noqa: E402

from trygghet import database  # noqa: E402

DATA_DIR = OUT / "load-postgres"
NAME = "trygghet_load"
ROUNDS = ("make-run", "gunicorn-4", "make-run-outage", "gunicorn-4-outage")
RESEND_EVERY = 5
RETRY_PAUSE = 1.0


@dataclass
class Answer:
    started: float
    seconds: float
    status: int  # 0: no answer (connection refused, reset or timed out)
    key: str
    incident: int | None
    resend: bool  # the outbox's second copy of an acknowledged submission
    retry: bool  # sent again because the last try was not acknowledged

    @property
    def ended(self) -> float:
        return self.started + self.seconds


@dataclass
class Round:
    answers: list[Answer] = field(default_factory=list)
    down: float | None = None
    up: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


def fresh_database() -> str:
    admin = database.start(data_dir=DATA_DIR, name="postgres", keep_running=True)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    url = database.start(data_dir=DATA_DIR, name=NAME, keep_running=True)
    say("load: migrating a fresh database")
    manage(url, "migrate", "--noinput")
    manage(url, "collectstatic", "--noinput")
    return url


class Server:
    def __init__(self, name: str, url: str):
        self.port = free_port()
        env = environment(url) | {"API_THROTTLE_RATE": "10000000/hour"}
        if name.startswith("make-run"):
            command = ["make", "-s", "serve", f"PORT={self.port}"]
            env |= {"DEBUG": "true"}
        else:
            command = [
                str(Path(PYTHON).with_name("gunicorn")),
                "trygghet.wsgi",
                "--workers=4",
                f"--bind=127.0.0.1:{self.port}",
                "--no-control-socket",
            ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not self.healthy():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name}: the server did not start")
            time.sleep(0.2)

    def healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=30)


def host(port: int, token: str, category: int, until: float, record: Round) -> None:
    connection = None
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    sent = 0
    while time.monotonic() < until:
        key = str(uuid.uuid4())
        sent += 1
        copies = 2 if sent % RESEND_EVERY == 0 else 1
        for copy in range(copies):
            acknowledged, tries = False, 0
            while not acknowledged and time.monotonic() < until:
                body = json.dumps({"client_key": key, "category": category, "description": "x"})
                started = time.monotonic()
                status, incident = 0, None
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("POST", "/api/v1/incidents/", body, headers)
                    response = connection.getresponse()
                    payload = response.read()
                    status = response.status
                    if status in (200, 201):
                        incident = json.loads(payload)["id"]
                except (OSError, http.client.HTTPException):
                    connection = None
                seconds = time.monotonic() - started
                record.add(Answer(started, seconds, status, key, incident, copy > 0, tries > 0))
                acknowledged, tries = incident is not None, tries + 1
                if not acknowledged:
                    time.sleep(RETRY_PAUSE)


def outage(record: Round, start_after: float, seconds: float) -> None:
    """Stop PostgreSQL and start it again, as an operator would."""

    def server(command: str) -> None:
        subprocess.run(
            [PYTHON, "-m", "trygghet.database", command, "--data-dir", str(DATA_DIR)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    time.sleep(start_after)
    server("stop")
    record.down = time.monotonic()
    time.sleep(seconds)
    # From here on it may answer: the start command returns only after its own checks.
    record.up = time.monotonic()
    server("start")


def run_round(name: str, url: str, setup: dict, seconds: float, outage_seconds: float) -> dict:
    say(f"{name}: {len(setup['tokens'])} hosts for {seconds:.0f} s")
    server = Server(name, url)
    record = Round()
    try:
        began = time.monotonic()
        until = began + seconds
        threads = [
            threading.Thread(
                target=host, args=(server.port, token, setup["category"], until, record)
            )
            for token in setup["tokens"]
        ]
        if name.endswith("-outage"):
            start_after = (seconds - outage_seconds) / 2
            threads.append(
                threading.Thread(target=outage, args=(record, start_after, outage_seconds))
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.stop()
    return figures(name, url, record, elapsed)


def figures(name: str, url: str, record: Round, elapsed: float) -> dict:
    answers = record.answers
    acknowledged: dict[str, int] = {}
    different = 0
    for answer in answers:
        if answer.incident is None:
            continue
        first = acknowledged.setdefault(answer.key, answer.incident)
        different += int(first != answer.incident)
    keys = sorted({answer.key for answer in answers})
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        rows: dict[str, int] = dict(
            conn.execute(
                "SELECT client_key::text, count(*) FROM incidents_incident"
                " WHERE client_key = ANY(%s::uuid[]) GROUP BY client_key",
                [keys],
            ).fetchall()
        )
    lost = sum(1 for key in acknowledged if key not in rows)
    duplicates = sum(count - 1 for count in rows.values()) + different
    unacknowledged_rows = sum(1 for key in rows if key not in acknowledged)
    latencies = sorted(answer.seconds for answer in answers)
    result = {
        "round": name,
        "requests": len(answers),
        "requests_per_s": len(answers) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "acknowledged": len(acknowledged),
        "resends": sum(answer.resend and not answer.retry for answer in answers),
        "retries": sum(answer.retry for answer in answers),
        "statuses": dict(Counter(answer.status for answer in answers)),
        "lost": lost,
        "duplicates": duplicates,
        "stored_unacknowledged": unacknowledged_rows,
    }
    if record.down is None:
        result["errors"] = sum(answer.status not in (200, 201) for answer in answers)
    else:
        down, up = record.down, record.up
        assert up is not None, "the outage thread records when the database came back"
        during = [a for a in answers if down <= a.started <= up]
        after = [a for a in answers if a.ended >= up]
        first_ok = min((a.ended for a in after if a.incident), default=None)
        last_error = max((a.ended for a in after if not a.incident), default=None)
        result |= {
            "errors": sum(a.status not in (200, 201, 503) for a in answers),
            "outage_statuses": dict(Counter(a.status for a in during if a.ended <= up)),
            "outage_statuses_answered_after": dict(
                Counter(a.status for a in during if a.ended > up)
            ),
            "recovered_after_s": None if first_ok is None else first_ok - up,
            "last_error_after_s": 0.0 if last_error is None else max(0.0, last_error - up),
            "outage_s": up - down,
        }
    say(json.dumps(result))
    return result


def write_results(
    results: list[dict], *, hosts: int, seconds: float, outage: float, url: str
) -> None:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        (version,) = conn.execute("SHOW server_version").fetchall()[0]
    lines = [
        "",
        f"## {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {hosts} hosts posting observations"
        f" for {seconds:.0f} s",
        "",
        f"{machine()}; Python {platform.python_version()}, PostgreSQL {version}; the hosts, the"
        " server and PostgreSQL share the machine (load average"
        f" {' '.join(f'{load:.1f}' for load in os.getloadavg())} at the end). Every fifth"
        " submission resent with its key.",
        "",
        "| round | requests/s | p50 ms | p95 ms | acknowledged | errors | lost | duplicates |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {r['round']} | {r['requests_per_s']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} |"
            f" {r['acknowledged']} | {r['errors']} | {r['lost']} | {r['duplicates']} |"
            for r in results
        ),
        "",
        *(
            f"- {r['round']}: statuses {r['statuses']}; resends {r['resends']}, retries after"
            f" no acknowledgement {r['retries']}; stored but not acknowledged"
            f" {r['stored_unacknowledged']}"
            + (
                f"; PostgreSQL down for {r['outage_s']:.1f} s (stop returned to start called):"
                f" requests sent meanwhile were answered {r['outage_statuses']} while it was"
                f" down and {r['outage_statuses_answered_after']} after (they had waited for a"
                f" worker); first acknowledged write {r['recovered_after_s'] or float('nan'):.2f}"
                f" s after the start was called, last 503 {r['last_error_after_s']:.2f} s after"
                if "outage_s" in r
                else ""
            )
            for r in results
        ),
        "",
        f"Command: `LOAD_HOSTS={hosts} LOAD_SECONDS={seconds:.0f}"
        f" LOAD_OUTAGE_SECONDS={outage:.0f} make load`",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    say(f"appended to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    hosts = int(os.environ.get("LOAD_HOSTS", "50"))
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    outage = float(os.environ.get("LOAD_OUTAGE_SECONDS", "10"))
    chosen = os.environ.get("LOAD_ROUNDS", ",".join(ROUNDS)).split(",")
    OUT.mkdir(exist_ok=True)
    try:
        url = fresh_database()
        setup = inside(url, "hosts", str(hosts))
        results = [run_round(name, url, setup, seconds, outage) for name in chosen]
        write_results(results, hosts=hosts, seconds=seconds, outage=outage, url=url)
    finally:
        database.stop(DATA_DIR)
    for result in results:
        print(json.dumps(result))  # noqa: T201


if __name__ == "__main__":
    main()
