"""The embedded server's commands, and the development server (`make run`) on a server of its
own in a temporary folder: many hosts at once, and the database stopped under it."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from trygghet import database
from trygghet.core.unavailable import RETRY_AFTER_SECONDS

ROOT = Path(__file__).resolve().parent.parent.parent
# Low, so that a server opening a connection per client would run out with few clients.
MAX_CONNECTIONS = 20


def command(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "trygghet.database", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def manage(url: str, code: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )


@contextmanager
def own_data_dir():
    """A data folder of its own, in a folder the server's system user may enter when the tests
    run as root (pytest's temporary folders are closed to others)."""
    folder = Path(tempfile.mkdtemp(prefix="trygghet-test-"))
    folder.chmod(0o755)
    try:
        yield folder / "postgres"
    finally:
        database.stop(folder / "postgres")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def data_dir():
    with own_data_dir() as data_dir:
        yield data_dir


@pytest.fixture(scope="module")
def url(data_dir):
    """A database with just the tables the requests below read (sessions and API tokens)."""
    assert command("start", "--data-dir", str(data_dir)) == "running"
    url = database.start(data_dir=data_dir, name="trygghet", keep_running=True)
    manage(
        url,
        f"from django.db import connection; connection.cursor().execute("
        f"'ALTER SYSTEM SET max_connections = {MAX_CONNECTIONS}')",
    )
    command("stop", "--data-dir", str(data_dir))
    command("start", "--data-dir", str(data_dir))
    manage(
        url,
        "from django.core.management import call_command; "
        "call_command('migrate', 'accounts', verbosity=0); "
        "call_command('migrate', 'sessions', verbosity=0)",
    )
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dev_server(url):
    """The server exactly as `make run` starts it."""
    port = free_port()
    server = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={port}"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: get(port, "/healthz")[0] == 200, seconds=60)
        yield port
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def get(port: int, path: str, headers: dict | None = None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return 0, {}, b""
    finally:
        if connection is None:
            conn.close()


def wait_for(condition, *, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.2)
    return time.monotonic() - started


SESSION = {"Cookie": "sessionid=" + "a" * 32}
TOKEN = {"Authorization": "Token unknown"}


def test_start_leaves_the_server_running_and_stop_stops_it():
    with own_data_dir() as data_dir:
        assert command("start", "--data-dir", str(data_dir)) == "running"
        # The process that started it has exited; the server is still up.
        assert database.is_running(data_dir)
        assert command("status", "--data-dir", str(data_dir)) == "running"
        assert command("stop", "--data-dir", str(data_dir)) == "stopped"
        assert not database.is_running(data_dir)


def test_the_development_server_holds_many_hosts_at_once(dev_server):
    """Twice as many keep-alive clients as the database has connections: none gets an error."""

    def host(_number):
        connection = http.client.HTTPConnection("127.0.0.1", dev_server, timeout=60)
        try:
            return [get(dev_server, "/start/", SESSION, connection)[0] for _request in range(5)]
        finally:
            connection.close()

    with ThreadPoolExecutor(2 * MAX_CONNECTIONS) as pool:
        statuses = [
            status for statuses in pool.map(host, range(2 * MAX_CONNECTIONS)) for status in statuses
        ]
    assert set(statuses) == {302}


def test_a_stopped_database_is_a_503_and_the_app_recovers_by_itself(dev_server, data_dir):
    assert get(dev_server, "/start/", SESSION)[0] == 302
    command("stop", "--data-dir", str(data_dir))
    try:
        page = get(dev_server, "/start/", SESSION)
        api = get(dev_server, "/api/v1/incidents/", TOKEN)
        health = get(dev_server, "/healthz")
    finally:
        command("start", "--data-dir", str(data_dir))
    for status, headers, _body in (page, api, health):
        assert status == 503
        assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert b'class="error-page"' in page[2]
    assert api[1]["Content-Type"] == "application/json"
    # Back without a restart: the workers' broken connections are replaced.
    wait_for(lambda: get(dev_server, "/start/", SESSION)[0] == 302, seconds=10)
    assert get(dev_server, "/api/v1/incidents/", TOKEN)[0] == 401
    assert get(dev_server, "/healthz")[0] == 200
