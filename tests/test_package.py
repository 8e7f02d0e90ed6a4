"""The package runs from itself: the wheel, built from the checkout as `make dist` builds it and
installed into a new virtual environment outside the checkout, passes `check --deploy`, migrates
a new database, collects its static files and serves the public page, a signed-in page and a
static file through gunicorn, all with production settings."""

import http.client
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.core.test_database import free_port, get, own_data_dir, wait_for
from trygghet import database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"
HOST = "trygghet.kommun.se"  # deploy/env.example's ALLOWED_HOSTS
# As the TLS proxy (deploy/nginx.conf) passes a request on.
BEHIND_PROXY = {"Host": HOST, "X-Forwarded-Proto": "https"}
PASSWORD = "a-password-for-the-wheel-test-0123"


def run(*command, **options) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from it (so the sdist is shown to hold everything)."""
    folder = tmp_path_factory.mktemp("dist")
    run(str(UV), "build", "--quiet", "--out-dir", str(folder), str(ROOT))
    return folder


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A new environment with the wheel and the dependencies it names, at the locked versions."""
    folder = tmp_path_factory.mktemp("venv")
    python = folder / "bin" / "python"
    run(str(UV), "venv", "--quiet", "--python", sys.executable, str(folder))
    (wheel,) = dist.glob("*.whl")
    run(
        str(UV),
        "pip",
        "install",
        "--quiet",
        "--python",
        str(python),
        "--constraint",
        str(ROOT / "requirements.lock"),
        str(wheel),
    )
    return folder


def example_environment() -> dict[str, str]:
    """deploy/env.example as systemd's EnvironmentFile reads it."""
    lines = (ROOT / "deploy" / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def production(venv, tmp_path_factory):
    """The settings of deploy/env.example, with a new database on an embedded server, a secret,
    folders of its own, and the working directory outside the checkout."""
    home = tmp_path_factory.mktemp("home")
    with own_data_dir() as data_dir:
        url = database.start(data_dir=data_dir, name="wheel", keep_running=True)
        env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
        env.update(example_environment())
        env.update(
            DATABASE_URL=url,
            SECRET_KEY="a-long-production-secret-from-the-environment-0123456789abcdef",
            STATIC_ROOT=str(home / "static"),
            MEDIA_ROOT=str(home / "media"),
        )
        yield {"cwd": home, "env": env}


def trygghet(venv, production, *args: str, **env: str) -> str:
    """The installed command, as the README runs it."""
    return run(
        str(venv / "bin" / "trygghet"),
        *args,
        cwd=production["cwd"],
        env={**production["env"], **env},
    )


def service_command(venv: Path, port: int) -> list[str]:
    unit = (ROOT / "deploy" / "trygghet.service").read_text()
    (command,) = re.findall(r"^ExecStart=(.+)$", unit, re.MULTILINE)
    command = command.replace("/opt/trygghet/", f"{venv}/").replace(":8000", f":{port}")
    return command.split()


def sign_in(port: int, username: str) -> str:
    """Signs in through the login form as a browser behind the proxy does; the session cookie."""
    _status, headers, page = get(port, "/accounts/login/", BEHIND_PROXY)
    (csrf,) = re.findall(r"csrftoken=(\w+)", headers["Set-Cookie"])
    token = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page.decode())[0]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    connection.request(
        "POST",
        "/accounts/login/",
        body=urlencode(form),
        headers={
            **BEHIND_PROXY,
            "Origin": f"https://{HOST}",
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    assert response.status == 302, response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    connection.close()
    return next(cookie.split(";")[0] for cookie in cookies if cookie.startswith("sessionid="))


def test_the_wheel_carries_pages_static_sources_translations_and_migrations(dist):
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in (
        "trygghet/templates/public/home.html",
        "trygghet/static/js/map.js",
        "trygghet/static/vendor/leaflet/leaflet.js",
        "trygghet/static/vendor/leaflet/LICENSE",
        "trygghet/locale/sv/LC_MESSAGES/django.mo",
        "trygghet/locale/en/LC_MESSAGES/django.mo",
        "trygghet/__main__.py",
    ):
        assert name in names
    migrations = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("trygghet/*/migrations/*.py")]
    assert len(migrations) > 20
    assert {str(path.relative_to(ROOT)) for path in migrations} <= names
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        sdist_names = {name.partition("/")[2] for name in archive.getnames()}
    assert {"templates/public/home.html", "locale/sv/LC_MESSAGES/django.mo"} <= sdist_names


def test_the_installed_package_runs_from_itself(venv, production):
    code = "import trygghet; print(trygghet.__file__)"
    where = run(str(venv / "bin" / "python"), "-c", code, **production)
    assert where.startswith(str(venv))
    check = ["check", "--deploy", "--database", "default", "--fail-level", "WARNING"]
    assert "no issues" in trygghet(venv, production, *check)


def test_the_installed_package_migrates_collects_and_serves(venv, production):
    trygghet(venv, production, "migrate", "--noinput")
    trygghet(venv, production, "collectstatic", "--noinput")
    superuser = ["createsuperuser", "--noinput", "--username", "it", "--email", "it@kommun.se"]
    trygghet(venv, production, *superuser, DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    port = free_port()
    server = subprocess.Popen(
        # As deploy/trygghet.service starts it, on a port of its own and with fewer workers.
        [*service_command(venv, port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **production,
    )
    try:
        # As the load balancer asks: plain HTTP, by address.
        wait_for(lambda: get(port, "/healthz")[0] == 200, seconds=60)
        status, _headers, body = get(port, "/", BEHIND_PROXY)
        assert status == 200
        # Swedish: the compiled catalogue came with the wheel.
        assert "Kommunens trygghetsvärdar" in body.decode()

        manifest = json.loads((production["cwd"] / "static" / "staticfiles.json").read_text())
        script_url = "/static/" + manifest["paths"]["js/map.js"]
        status, _headers, script = get(port, script_url, BEHIND_PROXY)
        assert status == 200
        assert b"TrygghetMap" in script

        assert get(port, "/start/", {**BEHIND_PROXY, "Cookie": sign_in(port, "it")})[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
