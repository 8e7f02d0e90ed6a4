"""The chief's pages for the partner organisations: the list with each one's scope and members,
and the form that sets them."""

from datetime import date

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.test.utils import CaptureQueriesContext

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.patrols.factories import AreaFactory
from trygghet.accounts.models import Organisation, User
from trygghet.accounts.roles import Role

LIST = "/partners/organisations/"
NEW = "/partners/organisations/new/"


def form(**changes) -> dict:
    data = {
        "name": "Räddningstjänsten Mitt",
        "kind": "rescue",
        "contact_email": "est@rtj.example.se",
        "all_areas": "",
        "category_groups": ["fire", "damage"],
        "agreement_from": "2026-01-01",
        "agreement_to": "2026-12-31",
        "reports_weekly": "on",
        "active": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
        dpo=403,
    ),
)
@pytest.mark.parametrize("page", ["list", "new", "edit"])
def test_only_the_chief_manages_organisations(
    client_as, partner_organisation, role, expected, page
):
    url = {"list": LIST, "new": NEW, "edit": f"{LIST}{partner_organisation.pk}/"}[page]
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=403,
        owner=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
        dpo=403,
    ),
)
def test_only_the_chief_saves_one(client_as, db, role, expected):
    area = AreaFactory()
    assert_answer(client_as(role).post(NEW, form(areas=[area.pk])), expected, done=LIST)
    assert Organisation.objects.filter(name="Räddningstjänsten Mitt").exists() == (expected == DONE)


def test_the_chief_sets_the_scope_and_the_members(client_as, persona):
    client = client_as("chief")
    north, south = AreaFactory(name="Norr"), AreaFactory(name="Söder")
    partner = persona("partner")
    data = form(areas=[north.pk], members=[partner.pk])
    assert client.post(NEW, data).status_code == 302
    organisation = Organisation.objects.get(name="Räddningstjänsten Mitt")
    assert list(organisation.areas.all()) == [north]
    assert organisation.category_groups == ["damage", "fire"]
    # The chief names the last night; it is kept as the first night after it.
    assert organisation.agreement == DateRange(date(2026, 1, 1), date(2027, 1, 1))
    partner.refresh_from_db()
    assert partner.organisation == organisation

    page = client.get(LIST).content.decode()
    row = page[page.index(">Räddningstjänsten Mitt</a>") :].split("</tr>")[0]
    assert "Norr" in row and "Söder" not in row and "2026-01-01 – 2026-12-31" in row
    edit = client.get(f"{LIST}{organisation.pk}/").content.decode()
    assert 'value="2026-12-31"' in edit

    # Every area: the list of areas goes; the member taken off belongs to none.
    response = client.post(
        f"{LIST}{organisation.pk}/", form(all_areas="on", areas=[south.pk], agreement_to="")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.all_areas and not organisation.areas.exists()
    assert organisation.agreement == DateRange(date(2026, 1, 1), None)
    partner.refresh_from_db()
    assert partner.organisation is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agreement_to": "2025-12-31"}, "Avtalet kan inte sluta innan det börjar."),
        ({"areas": None}, "Välj de områden den ser, eller alla områden."),
        ({"category_groups": ["nonsense"]}, "Välj ett giltigt alternativ."),
        ({"agreement_from": "1 januari"}, "Fyll i ett giltigt datum."),
        ({"agreement_from": "1066-10-14"}, "Välj ett datum från 1 januari 2000"),
        ({"name": ""}, "Det här fältet är obligatoriskt."),
        ({"name": "Polisen, lokalpolisområde Syd"}, "finns redan"),
        ({"kind": "army"}, "Välj ett giltigt alternativ."),
        ({"areas": ["999999"]}, "Välj ett giltigt alternativ."),
        ({"members": ["999999"]}, "Välj ett giltigt alternativ."),
    ],
)
def test_bad_input_is_a_400_in_swedish_and_saves_nothing(
    client_as, persona, partner_organisation, changes, message
):
    area = AreaFactory()
    partner = persona("partner")
    response = client_as("chief").post(NEW, form(**{"areas": [area.pk], **changes}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Organisation.objects.all()) == [partner_organisation]
    assert User.objects.get(pk=partner.pk).organisation == partner_organisation
    assert set(Organisation.objects.get().areas.all()) == {area}


def test_a_department_member_cannot_be_made_a_partner(client_as, persona):
    owner = persona("owner")
    response = client_as("chief").post(NEW, form(all_areas="on", members=[owner.pk]))
    assert response.status_code == 400
    assert User.objects.get(pk=owner.pk).organisation is None


def test_an_unknown_organisation_is_404(client_as, db):
    assert client_as("chief").get(f"{LIST}999999/").status_code == 404


def test_the_menu_has_the_page_for_the_chief_only(client_as):
    assert f'href="{LIST}"' in client_as("chief").get("/start/").content.decode()
    assert f'href="{LIST}"' not in client_as("partner").get("/start/").content.decode()


def test_the_list_keeps_its_query_count(client_as):
    """Each organisation with its areas and members: the same queries for one as for five."""
    client = client_as("chief")

    def add(count: int) -> int:
        for _ in range(count):
            organisation = OrganisationFactory.create(all_areas=False)
            organisation.areas.add(AreaFactory.create())
            UserFactory(roles=[Role.PARTNER], organisation=organisation)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    assert add(1) == add(4)
