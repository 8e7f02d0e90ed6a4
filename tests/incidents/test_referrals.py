"""A referral names where it went, and the municipality's on-call lines are services of their
own: counted apart in the calls for help, with the default numbers moved over."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from incidents import services
from incidents.models import CitizenContact, ContactOutcome, Referral, Service
from tests.incidents.factories import CitizenContactFactory, EscalationFactory, IncidentFactory


def record(persona, **fields):
    contact, _ = services.citizen_contact_create(by=persona("host"), channel="in_person", **fields)
    return contact


def test_a_referral_to_another_authority_says_which(persona, shift):
    with pytest.raises(ValidationError) as refused:
        record(persona, outcome=ContactOutcome.REFERRED_OTHER)
    assert "referred_to" in refused.value.message_dict
    contact = record(
        persona, outcome=ContactOutcome.REFERRED_OTHER, referred_to=Referral.SOCIAL_ON_CALL
    )
    assert contact.referred_to == "social_on_call"


def test_another_authority_is_named_in_words(persona, shift):
    with pytest.raises(ValidationError) as refused:
        record(persona, outcome=ContactOutcome.REFERRED_OTHER, referred_to=Referral.OTHER)
    assert "referred_to_other" in refused.value.message_dict
    contact = record(
        persona,
        outcome=ContactOutcome.REFERRED_OTHER,
        referred_to=Referral.OTHER,
        referred_to_other=" Försäkringskassan ",
    )
    assert (contact.referred_to, contact.referred_to_other) == ("other", "Försäkringskassan")


def test_a_police_referral_went_to_the_police_and_no_referral_went_nowhere(persona, shift):
    police = record(persona, outcome=ContactOutcome.REFERRED_POLICE)
    handled = record(
        persona, outcome=ContactOutcome.HANDLED, referred_to=Referral.OTHER, referred_to_other="x"
    )
    assert police.referred_to == "police"
    assert (handled.referred_to, handled.referred_to_other) == ("", "")


def test_the_host_says_where_when_recording_the_outcome(client_as, persona, shift):
    contact = CitizenContactFactory(recorded_by=persona("host"), shift=shift)
    response = client_as("host").post(
        f"/citizen-contacts/{contact.pk}/",
        {
            "outcome": "referred_other",
            "referred_to": "streets_on_call",
            "reason": "Trasig lykta",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.referred_to == "streets_on_call"


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "handled", "referred_to": "police"},
        {"outcome": "referred_police", "referred_to": "social_on_call"},
        {"outcome": "referred_other", "referred_to": "other"},
    ],
)
def test_the_database_refuses_a_referral_that_does_not_add_up(db, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenContactFactory(**fields)


def test_the_on_call_lines_are_counted_apart(client_as, persona):
    called = datetime(2026, 3, 28, 21, tzinfo=UTC)
    incident = IncidentFactory(reported_by=persona("host"), occurred_at=called)
    for service in (Service.SOCIAL_ON_CALL, Service.SOCIAL_ON_CALL, Service.STREETS_ON_CALL):
        EscalationFactory(incident=incident, service=service, called_at=called)
    body = (
        client_as("report_client")
        .get(
            "/api/v1/stats/escalations/?from=2026-03-01&to=2026-03-31&bucket=month&group_by=service"
        )
        .json()
    )
    counts = {row["service"]: row["count"] for row in body["results"]}
    assert counts == {"social_on_call": 2, "streets_on_call": 1}


BEFORE = [("incidents", "0010_legal_hold")]
AFTER = [("incidents", "0011_referrals_on_call_lines_and_night_button_settings")]


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_calls_and_referrals_are_told_apart(back_to_the_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    host = apps.get_model("accounts", "User").objects.create(username="vard1")
    incident = apps.get_model("incidents", "Incident").objects.create(
        occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
        reported_by=host,
        category=apps.get_model("incidents", "Category").objects.first(),
        severity=2,
    )
    Escalation = apps.get_model("incidents", "Escalation")
    number = apps.get_model("incidents", "ServiceNumber").objects.get(name="Fastighetsjouren")
    at = datetime(2026, 3, 1, tzinfo=UTC)
    to_property = Escalation.objects.create(
        incident=incident,
        service="municipal_on_call",
        service_number=number,
        called_at=at,
        recorded_by=host,
    )
    unknown = Escalation.objects.create(
        incident=incident,
        service="municipal_on_call",
        called_at=at + timedelta(minutes=1),
        recorded_by=host,
    )
    Contact = apps.get_model("incidents", "CitizenContact")
    police = Contact.objects.create(
        received_at=at, channel="phone", outcome="referred_police", recorded_by=host
    )

    MigrationExecutor(connection).migrate(AFTER)

    assert CitizenContact.objects.get(pk=police.pk).referred_to == "police"
    from incidents.models import Escalation as Now
    from incidents.models import ServiceNumber

    assert Now.objects.get(pk=to_property.pk).service == "property_on_call"
    assert Now.objects.get(pk=unknown.pk).service == "municipal_on_call"
    lines = dict(ServiceNumber.objects.values_list("name", "service"))
    assert (lines["Socialjouren"], lines["Fastighetsjouren"], lines["Gata- och parkjouren"]) == (
        "social_on_call",
        "property_on_call",
        "streets_on_call",
    )
