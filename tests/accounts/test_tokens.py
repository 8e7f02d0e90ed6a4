import os
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accounts.factories import UserFactory
from trygghet.accounts.models import ApiToken
from trygghet.accounts.roles import Role
from trygghet.accounts.services import api_token_create, api_token_revoke


@pytest.fixture
def reporter(db):
    return UserFactory(username="rapport", roles=[Role.REPORT_CLIENT])


NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_command_prints_a_key_once_and_stores_only_its_hash(reporter, capsys):
    call_command("create_api_token", "rapport", "--name", "EST-export")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=reporter, name="EST-export")
    assert key.startswith("tg_")
    assert key not in {token.key_hash, token.prefix}
    assert token.key_hash == ApiToken.hash_key(key)


def test_the_readme_command_works_as_written_after_make_run(
    django_db_serialized_rollback, transactional_db
):
    """In a new shell in the checkout, where nothing is exported: manage.py starts from the
    development settings that `make run` serves with."""
    UserFactory(username="rapport", roles=[Role.REPORT_CLIENT])
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    (command,) = re.findall(r"^.*manage\.py create_api_token .*$", readme, re.MULTILINE)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DEMO", "SECRET_KEY", "EMAIL_URL"}
    }
    # The database `make run` would have left running is this test's.
    url = urlsplit(env["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    done = subprocess.run(
        command,
        shell=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert ApiToken.objects.get(user__username="rapport").name == "EST export"


@time_machine.travel(NOW, tick=False)
def test_a_token_expires_after_a_year_unless_told_otherwise(reporter, capsys):
    call_command("create_api_token", "rapport", "--name", "år")
    assert "Expires 2027-11-30T13:00+01:00." in capsys.readouterr().err
    call_command("create_api_token", "rapport", "--name", "vecka", "--days", "7")
    assert "Expires 2026-12-07T13:00+01:00." in capsys.readouterr().err
    expiries = dict(ApiToken.objects.values_list("name", "expires_at"))
    assert expiries == {"år": NOW + timedelta(days=365), "vecka": NOW + timedelta(days=7)}


@pytest.mark.parametrize("days", ["0", "-1", "99999"])
def test_command_refuses_a_lifetime_out_of_bounds(reporter, days):
    with pytest.raises(CommandError, match="--days"):
        call_command("create_api_token", "rapport", "--name", "x", "--days", days)


def test_an_expired_token_is_refused_saying_so(client, reporter):
    _token, key = api_token_create(
        user=reporter, name="x", expires_at=datetime(2026, 3, 1, 12, tzinfo=UTC)
    )
    with time_machine.travel(datetime(2026, 3, 1, 11, 59, tzinfo=UTC), tick=False):
        response = client.get("/api/v1/me/", headers={"authorization": f"Token {key}"})
        assert response.status_code == 200
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        response = client.get("/api/v1/me/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Nyckeln gick ut den 1 mars 2026. Be om en ny."


def test_command_refuses_unknown_user_and_duplicate_name(reporter):
    with pytest.raises(CommandError):
        call_command("create_api_token", "ingen", "--name", "x")
    call_command("create_api_token", "rapport", "--name", "x")
    with pytest.raises(CommandError):
        call_command("create_api_token", "rapport", "--name", "x")


def test_token_authenticates_until_revoked(client, reporter):
    token, key = api_token_create(user=reporter, name="x")
    headers = {"authorization": f"Token {key}"}
    assert client.get("/api/v1/me/", headers=headers).status_code == 200
    api_token_revoke(token=token)
    response = client.get("/api/v1/me/", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_deactivated_user_is_refused(client, reporter):
    _token, key = api_token_create(user=reporter, name="x")
    reporter.is_active = False
    reporter.save()
    assert client.get("/api/v1/me/", headers={"authorization": f"Token {key}"}).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token fel-nyckel", "Token \xe5"])
def test_malformed_or_unknown_token_is_401(client, reporter, header):
    assert client.get("/api/v1/me/", headers={"authorization": header}).status_code == 401


def test_use_is_recorded_at_most_once_a_minute(client, reporter):
    token, key = api_token_create(user=reporter, name="x")
    headers = {"authorization": f"Token {key}"}
    with time_machine.travel(NOW, tick=False) as clock:
        client.get("/api/v1/me/", headers=headers)
        token.refresh_from_db()
        assert token.last_used_at == NOW
        clock.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/me/", headers=headers)
        # The throttle's cache and the audit trail write on every request; the token does not.
        token_writes = [
            q["sql"] for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')
        ]
        assert token_writes == []
        clock.shift(timedelta(seconds=2))
        client.get("/api/v1/me/", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at == NOW + timedelta(seconds=61)


def test_admin_creates_a_token_and_shows_the_key_once(client, persona, reporter):
    client.force_login(persona("admin"))
    response = client.post(
        "/admin/accounts/apitoken/add/", {"user": reporter.pk, "name": "QGIS"}, follow=True
    )
    token = ApiToken.objects.get(name="QGIS")
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in message and "tg_" in message for message in shown)
    assert token.expires_at.date() == (timezone.now() + timedelta(days=365)).date()
    assert timezone.localtime(token.expires_at).strftime("%Y") in response.content.decode()


def test_admin_revokes_tokens(client, persona, reporter):
    token, _key = api_token_create(user=reporter, name="x")
    client.force_login(persona("admin"))
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
