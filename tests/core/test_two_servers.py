"""Two app servers behind one load balancer, as gunicorn runs them, on one database and one
S3 bucket (moto's S3 server on 127.0.0.1), each with a local upload folder of its own: a photo
uploaded through one is served by the other, and a rate limit counted on one holds on the other
(the default cache is a table in the database), and so does a sign-in lockout (django-axes keeps
its attempts in the database)."""

import http.client
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from urllib3 import encode_multipart_formdata

from tests.accounts.factories import PASSWORD
from tests.databases import new_database
from tests.public.test_report import GOOD
from tests.s3 import free_port, keys_in, new_bucket, s3_endpoint  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
REPORT_LIMIT = 2
LOCKOUT_AFTER = 3
# A CSRF secret of the client's own choosing, sent as the cookie and the header alike.
CSRF = secrets.token_hex(16)


def manage(environment: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SIGN_IN_A_HOST = """
from django.test import Client
from incidents.models import Category
from tests.accounts.factories import UserFactory
from tests.patrols.factories import make_shift
from trygghet.accounts.roles import Role
host = UserFactory(username="vard1", roles=[Role.HOST])
UserFactory(username="vard2", roles=[Role.HOST])
make_shift(hosts=[host], active=True)
client = Client()
client.force_login(host)
print(client.cookies["sessionid"].value, Category.objects.get(code="graffiti").pk)
"""


@pytest.fixture(scope="module")
def servers(django_db_blocker, s3_endpoint):  # noqa: F811
    """Two gunicorn servers on a new, migrated database; yields their ports, a signed-in
    host's session cookie, a category and the environment they share."""
    with django_db_blocker.unblock(), new_database("trygghet_servers") as url:
        shared = {
            **os.environ,
            **new_bucket(s3_endpoint),
            "DATABASE_URL": url,
            "PUBLIC_REPORT_LIMIT": str(REPORT_LIMIT),
            "AXES_FAILURE_LIMIT": str(LOCKOUT_AFTER),
        }
        manage(shared, "migrate", "--noinput")
        output = manage(shared, "shell", "-c", SIGN_IN_A_HOST)
        session, graffiti = output.strip().splitlines()[-1].split()
        with tempfile.TemporaryDirectory() as media:
            started = [start(shared, Path(media) / name) for name in ("a", "b")]
            try:
                for _process, port in started:
                    wait_until_up(port)
                yield {
                    "ports": [port for _process, port in started],
                    "session": session,
                    "graffiti": graffiti,
                    "environment": shared,
                    "media": Path(media),
                }
            finally:
                for process, _port in started:
                    process.terminate()
                    process.wait(timeout=30)


def start(environment: dict, media: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "trygghet.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env={**environment, "MEDIA_ROOT": str(media)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, port


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while request(port, "GET", "/healthz")[0] != 200:
        assert time.monotonic() < deadline, f"the server on {port} did not start"
        time.sleep(0.3)


def request(port: int, method: str, path: str, *, body=b"", headers=None, session=None):
    cookies = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            method, path, body, {"Cookie": cookies, "X-CSRFToken": CSRF, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format="PNG")
    return out.getvalue()


def test_a_photo_uploaded_through_one_server_is_served_by_the_other(servers):
    first, second = servers["ports"]
    body, content_type = encode_multipart_formdata(
        {
            "client_key": str(uuid.uuid4()),
            "category": servers["graffiti"],
            "latitude": "59.611",
            "longitude": "16.541",
            "description": "Tags på muren",
            "photos": ("p.png", png(), "image/png"),
        }
    )
    status, answer = request(
        first,
        "POST",
        "/api/v1/incidents/",
        body=body,
        headers={"Content-Type": content_type, "Accept": "application/json"},
        session=servers["session"],
    )
    assert status == 201, answer
    photo_path = urlsplit(json.loads(answer)["photos"][0]).path

    status, served = request(second, "GET", photo_path, session=servers["session"])
    assert status == 200
    assert served.startswith(b"\x89PNG")
    assert request(second, "GET", photo_path)[0] == 302  # to the sign-in page
    environment = servers["environment"]
    assert len(keys_in(environment["S3_ENDPOINT_URL"], environment["S3_BUCKET"])) == 1
    assert not any(path.is_file() for path in servers["media"].rglob("*"))


def test_a_rate_limit_counted_on_one_server_holds_on_the_other(servers):
    first, second = servers["ports"]
    form = {**GOOD, "csrfmiddlewaretoken": CSRF}
    body, content_type = encode_multipart_formdata(form)
    headers = {"Content-Type": content_type}
    for _allowed in range(REPORT_LIMIT):
        assert request(first, "POST", "/public/report/", body=body, headers=headers)[0] == 302
    assert request(second, "POST", "/public/report/", body=body, headers=headers)[0] == 429


def test_a_lockout_from_wrong_passwords_on_one_server_holds_on_the_other(servers):
    first, second = servers["ports"]

    def sign_in(port: int, password: str) -> int:
        form = {"username": "vard2", "password": password, "csrfmiddlewaretoken": CSRF}
        body, content_type = encode_multipart_formdata(form)
        return request(
            port, "POST", "/accounts/login/", body=body, headers={"Content-Type": content_type}
        )[0]

    for _wrong in range(LOCKOUT_AFTER):
        sign_in(first, "fel")
    assert sign_in(second, PASSWORD) == 429
