"""The OpenAPI schema describes what the API answers: schemathesis generates requests from
/api/v1/schema/ (valid ones and ones the schema forbids) for every operation, sends them to the
application through WSGI as the chief and as a partner, each with an API token, and checks
every answer against the schema (status codes, media types, bodies, no 5xx).

The demo municipality is built once for the module, in a transaction rolled back at its end;
each case runs in a savepoint that is rolled back too, so every request sees the same data."""

from __future__ import annotations

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth, positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from trygghet.accounts.models import User
from trygghet.accounts.services import api_token_create

# Per operation and role: keeps the whole run within about three minutes on two cores.
MAX_EXAMPLES = 3
SEED = 2026
CASES: dict[str, int] = {"cases": 0}
# Also tells pytest-django that this module needs the test database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo municipality and a token each for the chief and a partner."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_data", "--incidents", "20", stdout=io.StringIO())
        yield {
            role: api_token_create(user=User.objects.get(username=name), name="schemathesis")[1]
            for role, name in [("chief", "chef"), ("partner", "partner")]
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _connection_kept(demo):
    """The application runs as a server runs it, but on the test's connection: Django closes
    the connection at a request's end, which would end the module's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nschemathesis: {CASES['cases']} cases")  # noqa: T201


def _load():
    """The schema as /api/v1/schema/ serves it (built without a request, as the view builds
    it), each load with its own settings."""
    loaded = schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True), config=SchemathesisConfig()
    )
    loaded.app = WSGIHandler()
    # The same cases on every run, so that a red run is the code's doing and can be repeated.
    loaded.config.seed = SEED
    return loaded


schema = _load()
# A partner writes nothing (every write is a 403, which the chief's run covers): reads only, and
# without the coverage phase (its boundary values are the chief's run's), to bound the time.
partner_schema = _load().include(method="GET")
partner_schema.config.phases.coverage.enabled = False


def _call_and_validate(case, token: str) -> None:
    CASES["cases"] += 1
    with transaction.atomic():
        case.call_and_validate(
            # The WSGI client hands back the body as the server sent it: asked for no gzip, as
            # every encoding-aware client decodes it anyway.
            headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"},
            # A schema-valid id or period may still name no record, or one longer than the
            # stats count: the API refuses it with a 400 that the schema documents. And the
            # check that retries without authentication keeps this header, so it would see the
            # role's answer; every route's 401 without a token is in the role grids instead.
            excluded_checks=[positive_data_acceptance, ignored_auth],
        )
        transaction.set_rollback(True)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_the_chief_as_its_schema_says(case, demo):
    _call_and_validate(case, demo["chief"])


@partner_schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_a_partner_as_its_schema_says(case, demo):
    _call_and_validate(case, demo["partner"])
