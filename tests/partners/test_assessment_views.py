"""The EST record's pages: who reaches which, what a bad form gets, and the lägesbild and its
report showing the record at a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.accounts.factories import OrganisationFactory
from tests.partners.factories import ActionFactory, AssessmentFactory
from tests.partners.meeting import WEEK_46, WEEK_47, morning  # noqa: F401
from tests.patrols.factories import AreaFactory
from trygghet.partners.models import Action, ActionStatus, Assessment, AssessmentComment

pytestmark = pytest.mark.usefixtures("morning")

RECORD = f"/lagesbild/assessment/week/{WEEK_47}/"
WEEK_PAGE = f"/lagesbild/?period=week&on={WEEK_47}"
AFTER_WRITE = "/lagesbild/?period=week&on=2026-11-22#est"


@pytest.fixture
def areas(db):
    return {"centrum": AreaFactory(name="Centrum"), "hamnen": AreaFactory(name="Hamnen")}


@pytest.fixture
def police(persona, areas):
    """The partner persona works for the police, whose scope is Centrum."""
    organisation = OrganisationFactory(name="Polisen Enköping", all_areas=False)
    areas["centrum"].organisations.add(organisation)
    partner = persona("partner")
    partner.organisation = organisation
    partner.save()
    return organisation


@pytest.fixture
def record(persona, police, department, areas):
    """Week 47's assessment, an action for the owner's department in Hamnen (outside the police's
    scope) and one for the police there."""
    assessment = AssessmentFactory(written_by=persona("chief"))
    return {
        "assessment": assessment,
        "department": ActionFactory(
            assessment=assessment, department=department, area=areas["hamnen"], what="Städa"
        ),
        "police": ActionFactory(
            assessment=assessment, organisation=police, area=areas["hamnen"], what="Patrull"
        ),
    }


WRITERS: dict[str, int | str] = dict(
    anonymous=LOGIN, chief=200, host=403, owner=403, partner=403, report_client=LOGIN, dpo=403
)


@pytest.mark.parametrize("url", [RECORD, f"{RECORD}actions/new/"])
@pytest.mark.parametrize(("role", "expected"), by_role(**WRITERS, admin=200))
def test_only_the_chief_writes_the_record(client_as, record, url, role, expected):
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    # The administrator holds every permission but speaks for no organisation.
    by_role(**(WRITERS | {"chief": 403, "partner": 200}), admin=403),
)
def test_partners_in_the_group_comment(client_as, record, role, expected):
    assert_answer(client_as(role).get(f"{RECORD}comment/"), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**(WRITERS | {"owner": 200, "partner": 200}), admin=200),
)
def test_the_action_list(client_as, record, role, expected):
    assert_answer(client_as(role).get("/lagesbild/actions/"), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    # The department's action in Hamnen: outside the police's scope, so not there for them.
    by_role(**(WRITERS | {"owner": 200, "partner": 404}), admin=200),
)
def test_the_department_follows_up_its_action(client_as, record, role, expected):
    assert_answer(client_as(role).get(f"/lagesbild/actions/{record['department'].pk}/"), expected)


def test_another_department_gets_404(client_as, record):
    response = client_as("other_owner").get(f"/lagesbild/actions/{record['department'].pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "week/2026-11-17/",  # a Tuesday
        "year/2026-01-01/",
        "week/2026-11-30/",  # not begun
        "week/9999-12-27/",
        "month/0001-01-01/",
        "week/not-a-day/",
    ],
)
def test_a_period_that_is_not_one_is_404(client_as, db, url):
    assert client_as("chief").get(f"/lagesbild/assessment/{url}").status_code == 404


def test_the_chief_writes_the_assessment(client_as, db):
    response = client_as("chief").post(RECORD, {"text": "Oroligt vid Resecentrum."})
    assert_answer(response, DONE, done=AFTER_WRITE)
    assert Assessment.objects.get().text == "Oroligt vid Resecentrum."


def test_a_closed_period_is_refused_and_nothing_saved(client_as, db):
    response = client_as("chief").post(
        f"/lagesbild/assessment/week/{WEEK_46}/", {"text": "För sent"}
    )
    assert response.status_code == 400
    assert "stängd" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_form_says_places_not_people(client_as, db):
    for url in (RECORD, f"{RECORD}actions/new/"):
        assert "personnummer" in client_as("chief").get(url).content.decode()


def test_the_chief_records_an_action_for_an_organisation(client_as, police, areas):
    response = client_as("chief").post(
        f"{RECORD}actions/new/",
        {
            "what": "Gemensam kvällsrunda",
            "area": areas["centrum"].pk,
            "who": f"organisation-{police.pk}",
            "due": "2026-12-04",
            "status": "open",
        },
    )
    assert_answer(response, DONE, done=AFTER_WRITE)
    action = Action.objects.get()
    assert (action.organisation, action.department, action.area) == (
        police,
        None,
        areas["centrum"],
    )
    assert action.assessment.kind == "week" and action.assessment.first == WEEK_47


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due": "9999-12-31"}, "due"),
        ({"due": "0001-01-01"}, "due"),
        ({"who": "organisation-999999"}, "who"),
        ({"area": "999999"}, "area"),
        ({"status": "done"}, "outcome"),  # done, but nothing said of what came of it
        ({"what": ""}, "what"),
    ],
)
def test_a_bad_action_is_refused_whole(client_as, db, changes, field):
    good = {"what": "Klotter", "who": "hosts", "due": "2026-12-04", "status": "open"}
    response = client_as("chief").post(f"{RECORD}actions/new/", good | changes)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Action.objects.exists() and not Assessment.objects.exists()


def test_a_partner_comments_for_the_organisation(client_as, record, police):
    response = client_as("partner").post(f"{RECORD}comment/", {"text": "Vi ser detsamma."})
    assert_answer(response, DONE, done=AFTER_WRITE)
    comment = AssessmentComment.objects.get()
    assert comment.organisation == police
    page = client_as("chief").get(WEEK_PAGE).content.decode()
    assert "Polisen Enköping" in page and "Vi ser detsamma." in page


def test_an_empty_comment_is_refused(client_as, record):
    assert client_as("partner").post(f"{RECORD}comment/", {"text": " "}).status_code == 400
    assert not AssessmentComment.objects.exists()


def test_a_partner_in_no_organisation_is_not_in_the_group(client_as, record, persona):
    partner = persona("partner")
    partner.organisation = None
    partner.save()
    assert client_as("partner").get(f"{RECORD}comment/").status_code == 403
    assert client_as("partner").get(WEEK_PAGE).context["est"] is None


def test_a_partner_reads_the_actions_of_the_scope_and_its_own(client_as, record, areas):
    everywhere = ActionFactory(assessment=record["assessment"], what="Hela kommunen")
    in_scope = ActionFactory(assessment=record["assessment"], area=areas["centrum"], what="I C")
    shown = client_as("partner").get(WEEK_PAGE).context["est"]
    assert set(shown.agreed) == {record["police"], everywhere, in_scope}
    assert len(client_as("chief").get(WEEK_PAGE).context["est"].agreed) == 4


def test_the_owner_of_an_action_reports_its_progress(client_as, record):
    url = f"/lagesbild/actions/{record['department'].pk}/"
    client = client_as("owner")
    form = client.get(url).context["form"]
    assert set(form.fields) == {"status", "outcome"}
    response = client.post(url, {"status": "done", "outcome": "Städat längs kajen"})
    assert_answer(response, DONE, done="/lagesbild/actions/")
    action = Action.objects.get(pk=record["department"].pk)
    assert (action.status, action.outcome) == (ActionStatus.DONE, "Städat längs kajen")
    # A partner may see the department's action only when it is in the scope; updating it is
    # for the department.
    record["department"].area = None
    record["department"].save()
    assert client_as("partner").get(url).status_code == 403


def test_the_lagesbild_shows_the_record_at_a_fixed_number_of_queries(
    client_as, record, django_assert_max_num_queries
):
    client = client_as("chief")
    AssessmentComment.objects.create(
        assessment=record["assessment"],
        organisation=record["police"].organisation,
        written_by=record["assessment"].written_by,
        text="Kommentar",
    )
    urls = (WEEK_PAGE, WEEK_PAGE.replace("/lagesbild/", "/lagesbild/report/"))
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[url] = len(few)
    earlier = AssessmentFactory(first=WEEK_46, written_by=record["assessment"].written_by)
    for n in range(5):
        ActionFactory(assessment=record["assessment"], organisation=record["police"].organisation)
        ActionFactory(assessment=earlier, what=f"Tidigare {n}", area=AreaFactory())
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        est = response.context["est"]
        assert (len(est.agreed), len(est.still_open)) == (7, 5)
        assert "Kommentar" in response.content.decode()


def test_the_printable_report_carries_the_record(client_as, record):
    page = client_as("chief").get(WEEK_PAGE.replace("/lagesbild/", "/lagesbild/report/"))
    text = page.content.decode()
    assert record["assessment"].text in text
    assert "Städa" in text and "Patrull" in text
    # Paper has no buttons to write with.
    assert "Skriv bedömningen" not in text and "Ändra bedömningen" not in text


def test_the_action_list_has_a_fixed_number_of_queries(client_as, record, police):
    client = client_as("partner")
    with CaptureQueriesContext(connection) as few:
        client.get("/lagesbild/actions/")
    for n in range(5):
        ActionFactory(assessment=record["assessment"], organisation=police, what=f"Rond {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/lagesbild/actions/")
    assert len(many) == len(few)
    # The police's own are theirs to follow up; the department's in Hamnen is not theirs to see.
    assert len(response.context["actions"]) == 6
    assert response.context["updatable"] == {a.pk for a in response.context["actions"]}


def test_a_partner_whose_scope_is_every_area_reads_every_action(client_as, record, police):
    police.all_areas = True
    police.save()
    listed = client_as("partner").get("/lagesbild/actions/").context["actions"]
    assert set(listed) == {record["police"], record["department"]}
