"""A partner reads inside their organisation's scope: its areas, its category groups and the
nights of its agreement. Each side is tested through the read functions every page, API route and
export uses (incidents_for_user, areas_for_user); the walks in tests/test_planted_markers.py and
tests/test_access.py cover the routes themselves."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from incidents.permissions import incidents_for_user, night_button_calls_for_user
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.incidents.factories import IncidentFactory, NightButtonCallFactory, category
from tests.patrols.factories import AreaFactory, AssignmentFactory, PhoneLineFactory, make_shift
from trygghet.accounts.models import User
from trygghet.accounts.policy import organisation_scope
from trygghet.accounts.roles import Role
from trygghet.accounts.scope import Scope

STHLM = ZoneInfo("Europe/Stockholm")


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STHLM)


@pytest.fixture
def partner(persona):
    return persona("partner")


@pytest.fixture(autouse=True)
def reporter(db):
    """Who reports every incident made below."""
    return UserFactory(username="rapportor", roles=[Role.HOST])


def logged(**fields):
    return IncidentFactory(reported_by=User.objects.get(username="rapportor"), **fields)


def seen(user, *incidents) -> list[bool]:
    visible = set(incidents_for_user(user).values_list("pk", flat=True))
    return [incident.pk in visible for incident in incidents]


def test_a_partner_sees_the_organisations_areas_only(client_as, partner):
    inside, outside = AreaFactory(), AreaFactory(partner_scope=False)
    here = logged(area=inside)
    there = logged(area=outside)
    nowhere = logged(area=None)
    assert seen(partner, here, there, nowhere) == [True, False, False]
    client = client_as("partner")
    assert client.get(f"/incidents/{here.pk}/").status_code == 200
    assert client.get(f"/incidents/{there.pk}/").status_code == 404
    listed = client.get("/api/v1/incidents/").json()["results"]
    assert [row["id"] for row in listed] == [here.pk]
    areas = [row["id"] for row in client.get("/api/v1/areas/").json()["results"]]
    assert inside.pk in areas and outside.pk not in areas
    # An area outside the scope is unknown to the filters as well.
    response = client.get(f"/api/v1/incidents/?area={outside.pk}")
    assert response.status_code == 400 and "Okänt område" in response.content.decode()


def test_a_partner_sees_the_organisations_category_groups_only(client_as, partner):
    area = AreaFactory()
    graffiti = logged(area=area, category=category("graffiti"))
    violence = logged(area=area, category=category("violence"))
    assert seen(partner, graffiti, violence) == [True, False]
    assert client_as("partner").get(f"/incidents/{violence.pk}/").status_code == 404


def test_no_groups_chosen_is_every_group(partner, partner_organisation):
    partner_organisation.category_groups = []
    partner_organisation.save()
    violence = logged(area=AreaFactory(), category=category("violence"))
    assert seen(partner, violence) == [True]


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (local(2026, 3, 2, 11, 59), False),  # the night before the first
        (local(2026, 3, 2, 12, 0), True),  # the first night begins at noon
        (local(2026, 3, 10, 0, 30), True),  # after midnight: still the last night
        (local(2026, 3, 10, 11, 59), True),
        (local(2026, 3, 10, 12, 0), False),  # the night after the last
    ],
)
def test_the_agreement_runs_from_the_first_nights_noon_to_the_noon_after_the_last(
    partner, partner_organisation, moment, inside
):
    partner_organisation.agreement = DateRange(date(2026, 3, 2), date(2026, 3, 10))
    partner_organisation.save()
    assert seen(partner, logged(area=AreaFactory(), occurred_at=moment)) == [inside]


@pytest.mark.parametrize(
    ("agreement", "moment", "inside"),
    [
        # Spring: the last night, 28 March 2026, is 23 hours long and ends at noon summer time.
        (DateRange(None, date(2026, 3, 29)), local(2026, 3, 29, 11, 30), True),
        (DateRange(None, date(2026, 3, 29)), local(2026, 3, 29, 12, 0), False),
        # Autumn: 24 October 2026 is 25 hours long; the agreement begins with the night after.
        (DateRange(date(2026, 10, 25), None), local(2026, 10, 25, 11, 30), False),
        (DateRange(date(2026, 10, 25), None), local(2026, 10, 25, 12, 0), True),
    ],
)
def test_the_agreements_nights_follow_the_clock_changes(
    partner, partner_organisation, agreement, moment, inside
):
    partner_organisation.agreement = agreement
    partner_organisation.save()
    assert seen(partner, logged(area=AreaFactory(), occurred_at=moment)) == [inside]


def test_a_night_kept_as_a_date_is_held_to_the_agreement_too(partner_organisation):
    """Records that keep their operational night as a date (a partner's weekly rows) are
    placed by it rather than by a moment."""
    partner_organisation.agreement = DateRange(date(2026, 3, 2), date(2026, 3, 10))
    partner_organisation.save()
    area = AreaFactory()
    before, first, last, after = (
        AssignmentFactory(area=area, valid_from=day)
        for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 10))
    )
    scope = Scope(partner_organisation)
    kept = set(
        type(first)
        .objects.filter(scope.q({"area": "area", "night": "valid_from"}, without=("group",)))
        .values_list("pk", flat=True)
    )
    assert kept == {first.pk, last.pk}
    assert before.pk not in kept and after.pk not in kept


def test_records_without_an_area_or_group_are_seen_with_every_area_and_group_only(
    partner, partner_organisation
):
    call = NightButtonCallFactory(
        phone_line=PhoneLineFactory(), host=User.objects.get(username="rapportor")
    )
    assert list(night_button_calls_for_user(partner)) == []
    partner_organisation.all_areas = True
    partner_organisation.category_groups = []
    partner_organisation.save()
    assert list(night_button_calls_for_user(partner)) == [call]


def test_a_shift_crosses_areas_and_is_seen_with_every_area_only(
    client_as, persona, partner_organisation
):
    shift = make_shift(hosts=[persona("host")], active=True)
    client = client_as("partner")
    assert client.get(f"/api/v1/shifts/{shift.pk}/").status_code == 404
    partner_organisation.all_areas = True
    partner_organisation.save()
    assert client.get(f"/api/v1/shifts/{shift.pk}/").status_code == 200


def test_a_partner_in_no_organisation_sees_nothing_and_is_told_so(client, db):
    partner = UserFactory(roles=[Role.PARTNER])
    logged(area=AreaFactory())
    assert organisation_scope(partner) == Scope(None)
    assert not incidents_for_user(partner).exists()
    client.force_login(partner)
    assert client.get("/api/v1/areas/").json()["results"] == []
    page = client.get("/start/").content.decode()
    assert "tillhör inte någon samverkansorganisation" in page


def test_an_organisation_no_longer_active_sees_nothing(partner, partner_organisation):
    incident = logged(area=AreaFactory())
    partner_organisation.active = False
    partner_organisation.save()
    assert seen(partner, incident) == [False]


def test_the_start_page_says_what_the_partner_sees(client_as, partner_organisation):
    AreaFactory(name="Norrbacka")
    page = client_as("partner").get("/start/").content.decode()
    assert "Polisen, lokalpolisområde Syd" in page and "Norrbacka" in page
    assert "2020-01-01 – 2029-12-31" in page


@pytest.mark.parametrize("role", ["chief", "report_client", "admin"])
def test_the_municipalitys_staff_programs_and_administrators_are_held_to_no_scope(persona, role):
    user = persona(role)
    assert organisation_scope(user) is None
    outside = logged(area=AreaFactory(partner_scope=False), category=category("violence"))
    assert seen(user, outside) == [True]


def test_a_partner_of_another_organisation_sees_its_scope_not_the_personas(db):
    other = OrganisationFactory(name="Bostadsbolaget", all_areas=False)
    theirs, ours = AreaFactory(partner_scope=False), AreaFactory()
    other.areas.add(theirs)
    partner = UserFactory(roles=[Role.PARTNER], organisation=other)
    assert seen(partner, logged(area=theirs), logged(area=ours)) == [True, False]
