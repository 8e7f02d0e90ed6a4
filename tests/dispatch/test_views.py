import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Incident
from tests.access import LOGIN, assert_answer, by_role
from tests.dispatch.factories import make_request, request_in, step
from tests.incidents.factories import CitizenContactFactory, category
from tests.patrols.queries import assert_fixed_query_count
from trygghet.dispatch.models import DispatchRequest, DispatchStep, Outcome, Position, State
from trygghet.dispatch.selectors import board

PAGE = by_role(
    anonymous=LOGIN,
    chief=200,
    host=403,
    owner=403,
    dpo=403,
    partner=403,
    report_client=LOGIN,
    admin=200,
)


@pytest.fixture
def mine(persona, car):
    """A call-out sent to the host's car."""
    return make_request(by=persona("chief"), shift=car, what="Stökigt vid kiosken")


@pytest.fixture
def theirs(persona, other_car):
    return make_request(by=persona("chief"), shift=other_car, what="Larm på skolan")


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize(
    "url", ["/dispatch/", "/dispatch/new/", "/dispatch/history/", "/dispatch/history/export.csv"]
)
def test_dispatcher_pages_by_role(client_as, mine, url):
    for param in PAGE:
        role, expected = param.values
        assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "own", "others"),
    [
        ("anonymous", LOGIN, LOGIN),
        ("chief", 200, 200),
        ("host", 200, 404),
        ("owner", 403, 403),
        ("partner", 403, 403),
        ("report_client", LOGIN, LOGIN),
        ("admin", 200, 200),
    ],
)
def test_detail_access_including_another_hosts_call_out(client_as, mine, theirs, role, own, others):
    client = client_as(role)
    assert_answer(client.get(mine.get_absolute_url()), own)
    assert_answer(client.get(theirs.get_absolute_url()), others)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=200,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
    ),
)
def test_host_tasks_poll_by_role(client_as, mine, role, expected):
    assert_answer(client_as(role).get("/dispatch/my-tasks/"), expected)


def test_host_acts_only_on_their_own_cars_call_out(client_as, mine, theirs):
    client = client_as("host")
    post = {"to": "acknowledged", "version": 2, "back": "start", "client_key": uuid.uuid4()}
    assert client.post(f"/dispatch/{theirs.pk}/step/", post).status_code == 404
    response = client.post(f"/dispatch/{mine.pk}/step/", post)
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    mine.refresh_from_db()
    assert mine.state == State.ACKNOWLEDGED
    theirs.refresh_from_db()
    assert theirs.state == State.DISPATCHED


def test_host_cannot_dispatch(client_as, persona, car):
    waiting = make_request(by=persona("chief"))
    response = client_as("host").post(
        f"/dispatch/{waiting.pk}/step/", {"to": "dispatched", "version": 1, "shift": car.pk}
    )
    assert response.status_code == 404  # never sent to their car: not theirs to see


def test_the_loser_sees_who_won_and_the_call_out_as_it_is_now(client_as, persona, car, other_car):
    waiting = make_request(by=persona("chief"))
    step(waiting, by=persona("chief"), to=State.DISPATCHED, shift=car)
    response = client_as("chief").post(
        f"/dispatch/{waiting.pk}/step/",
        {
            "to": "dispatched",
            "version": 1,
            "shift": other_car.pk,
            "back": "board",
            "client_key": uuid.uuid4(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "hann före" in page
    assert "Trygghetsbil 1" in page
    assert DispatchStep.objects.filter(state=State.DISPATCHED).count() == 1


@pytest.mark.parametrize(
    "post",
    [
        {},
        {"to": "sideways", "version": 1},
        {"to": "dispatched", "version": "x"},
        {"to": "dispatched", "version": 1, "shift": 999999},
        {"to": "cleared", "version": 1, "outcome": "vanished"},
        {"to": "dispatched", "version": 1, "client_key": "not-a-uuid"},
    ],
)
def test_bad_steps_get_a_message_and_change_nothing(client_as, persona, car, post):
    waiting = make_request(by=persona("chief"))
    response = client_as("chief").post(f"/dispatch/{waiting.pk}/step/", post)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.version == 1


def test_dispatch_with_one_click_from_the_board(client_as, persona, car):
    waiting = make_request(by=persona("chief"))
    page = client_as("chief").get("/dispatch/").content.decode()
    assert f'name="shift" value="{car.pk}"' in page
    response = client_as("chief").post(
        f"/dispatch/{waiting.pk}/step/",
        {
            "to": "dispatched",
            "version": 1,
            "shift": car.pk,
            "back": "board",
            "client_key": uuid.uuid4(),
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/dispatch/")
    waiting.refresh_from_db()
    assert (waiting.state, waiting.shift) == (State.DISPATCHED, car)


def test_board_poll_answers_204_until_something_changes(client_as, persona, car):
    client = client_as("chief")
    waiting = make_request(by=persona("chief"))
    with time_machine.travel(timezone.now(), tick=False):
        version = board(persona("chief")).version
        poll = client.get(f"/dispatch/?v={version}", headers={"HX-Request": "true"})
        assert poll.status_code == 204
        step(waiting, by=persona("chief"), to=State.DISPATCHED, shift=car)
        poll = client.get(f"/dispatch/?v={version}", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert 'id="board-live"' in poll.content.decode()
    assert "<html" not in poll.content.decode()


def test_host_poll_answers_204_until_a_call_out_comes(client_as, persona, car):
    client = client_as("host")
    first = client.get("/dispatch/my-tasks/")
    version = first.content.decode().split("?v=")[1].split('"')[0]
    assert client.get(f"/dispatch/my-tasks/?v={version}").status_code == 204
    make_request(by=persona("chief"), shift=car, what="Ny utryckning till er")
    fresh = client.get(f"/dispatch/my-tasks/?v={version}")
    assert fresh.status_code == 200
    assert "Ny utryckning till er" in fresh.content.decode()


def test_board_query_count_stays_fixed_as_requests_grow(client_as, persona, car, other_car):
    chief = persona("chief")
    make_request(by=chief)
    Position.objects.create(shift=car, host=persona("host"), latitude=59.61, longitude=16.54)

    def more():
        for n in range(5):
            request = make_request(by=chief, what=f"Utryckning {n}", priority=1 + n % 3)
            if n % 2:
                step(request, by=chief, to=State.DISPATCHED, shift=car if n == 1 else other_car)
        done = request_in(State.CLEARED, by=chief, shift=car)
        assert done.state == State.CLEARED
        CitizenContactFactory.create_batch(3, received_at=timezone.now())
        for _ in range(5):
            Position.objects.create(
                shift=other_car, host=persona("other_host"), latitude=59.6, longitude=16.5
            )

    assert_fixed_query_count(client_as("chief"), "/dispatch/", more)


def test_board_poll_does_not_grow_over_a_long_night(client_as, persona, car, other_car, settings):
    """Hours of steps and positions later, a poll costs what it cost at the start."""
    # The open board polls every few seconds, which keeps its session (noting the activity once a
    # minute); here hours pass at once.
    settings.SESSION_IDLE_MINUTES_DESK = 24 * 60
    chief, client = persona("chief"), client_as("chief")
    poll = {"headers": {"HX-Request": "true"}}
    client.get("/dispatch/", **poll)
    start = timezone.now()
    with CaptureQueriesContext(connection) as first:
        client.get("/dispatch/", **poll)
    for hour in range(1, 9):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            request = request_in(State.CLEARED, by=chief, shift=car)
            make_request(by=chief, shift=other_car)
            for minute in range(0, 60, 10):
                Position.objects.create(
                    shift=car,
                    host=persona("host"),
                    latitude=59.61,
                    longitude=16.54,
                    recorded_at=timezone.now() + timedelta(minutes=minute),
                )
            assert request.steps.count() == 5
    with time_machine.travel(start + timedelta(hours=8, minutes=30), tick=False):
        client.get("/dispatch/", **poll)
        with CaptureQueriesContext(connection) as later:
            assert client.get("/dispatch/", **poll).status_code == 200
    assert len(later) == len(first)


def test_history_query_count_is_fixed(client_as, persona, car):
    make_request(by=persona("chief"), shift=car)

    def more():
        for _ in range(5):
            request_in(State.CLEARED, by=persona("chief"), shift=car)

    assert_fixed_query_count(client_as("chief"), "/dispatch/history/", more)


def test_host_panel_on_the_start_page_query_count_is_fixed(client_as, persona, car):
    make_request(by=persona("chief"), shift=car)

    def more():
        for _ in range(5):
            make_request(by=persona("chief"), shift=car)

    assert_fixed_query_count(client_as("host"), "/dispatch/my-tasks/", more)
    assert_fixed_query_count(client_as("host"), "/start/", more)


def test_create_from_a_citizen_contact_and_send_the_car_in_one_step(client_as, persona, car):
    contact = CitizenContactFactory(
        category=category("crowd"), reason="Boende ringde om ett stökigt gäng vid kiosken."
    )
    client = client_as("chief")
    board_page = client.get("/dispatch/").content.decode()
    assert f"/dispatch/new/?citizen_contact={contact.pk}" in board_page
    form = client.get(f"/dispatch/new/?citizen_contact={contact.pk}")
    assert form.status_code == 200
    assert "Boende ringde" in form.content.decode()
    response = client.post(
        f"/dispatch/new/?citizen_contact={contact.pk}",
        {
            "what": "Stökigt gäng vid kiosken",
            "priority": 1,
            "source": "partner",  # disabled on the form: the contact decides
            "category": category("crowd").pk,
            "latitude": "59.611000",
            "longitude": "16.541000",
            "shift": car.pk,
            "client_key": str(uuid.uuid4()),
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/dispatch/")
    request = DispatchRequest.objects.get()
    assert (request.citizen_contact, request.source) == (contact, "citizen_contact")
    assert (request.state, request.shift) == (State.DISPATCHED, car)
    # Sent: no longer listed as waiting for an answer.
    board = client.get("/dispatch/")
    assert board.status_code == 200
    assert f"citizen_contact={contact.pk}" not in board.content.decode()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"what": "", "priority": 2, "source": "chief"}, "obligatoriskt"),
        ({"what": "Bråk", "priority": 9, "source": "chief"}, "giltigt alternativ"),
        (
            {
                "what": "Bråk",
                "priority": 2,
                "source": "chief",
                "latitude": "48.8",
                "longitude": "2.3",
            },
            "utanför Sverige",
        ),
        (
            {
                "what": "Bråk",
                "priority": 2,
                "source": "chief",
                "latitude": "1e308",
                "longitude": "Infinity",
            },
            "mellan -90 och 90",
        ),
    ],
)
def test_create_refuses_bad_input_with_a_message(client_as, post, message):
    response = client_as("chief").post("/dispatch/new/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DispatchRequest.objects.exists()


def test_an_unknown_citizen_contact_is_a_404(client_as):
    assert client_as("chief").get("/dispatch/new/?citizen_contact=999999").status_code == 404


def test_host_clears_as_an_incident(client_as, persona, car, area):
    request = request_in(State.ON_SCENE, by=persona("chief"), shift=car, category=category("crowd"))
    client = client_as("host")
    form = client.get(f"/dispatch/{request.pk}/incident/")
    assert form.status_code == 200
    assert "Stökigt gäng vid busshållplatsen" in form.content.decode()
    response = client.post(
        f"/dispatch/{request.pk}/incident/",
        {
            "category": category("crowd").pk,
            "description": "Gänget skingrades efter samtal.",
            "version": request.version,
            "client_key": str(uuid.uuid4()),
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/start/")
    request.refresh_from_db()
    incident = Incident.objects.get()
    assert (request.outcome, request.incident) == (Outcome.INCIDENT, incident)
    assert incident.description == "Gänget skingrades efter samtal."


def test_clear_as_incident_with_bad_input_is_a_400(client_as, persona, car):
    request = request_in(State.ON_SCENE, by=persona("chief"), shift=car)
    response = client_as("host").post(
        f"/dispatch/{request.pk}/incident/", {"category": "", "version": request.version}
    )
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_another_hosts_call_out_cannot_be_cleared_as_an_incident(client_as, theirs):
    assert client_as("host").get(f"/dispatch/{theirs.pk}/incident/").status_code == 404


def test_host_phone_sends_its_position(client_as, persona, car):
    client = client_as("host")
    response = client.post(
        "/dispatch/position/", {"latitude": "59.611", "longitude": "16.541", "accuracy": "8"}
    )
    assert response.status_code == 204
    assert Position.objects.get().shift == car
    assert client.post("/dispatch/position/", {"latitude": "x"}).status_code == 400
    assert client.post("/dispatch/position/off/").status_code == 204
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    "position",
    [
        {"latitude": "1e308", "longitude": "16.541"},
        {"latitude": "NaN", "longitude": "16.541"},
        {"latitude": "59.611", "longitude": "-Infinity"},
        {"latitude": "48.85", "longitude": "2.35"},
    ],
)
def test_phone_position_that_is_no_place_in_sweden_is_a_400(client_as, car, position):
    assert client_as("host").post("/dispatch/position/", position).status_code == 400
    assert not Position.objects.exists()


def test_phone_position_keeps_six_of_the_decimals_it_sent(client_as, car):
    position = {"latitude": "59.611234567891234", "longitude": "16.541234567891234"}
    assert client_as("host").post("/dispatch/position/", position).status_code == 204
    stored = Position.objects.get()
    assert (str(stored.latitude), str(stored.longitude)) == ("59.611235", "16.541235")


def test_position_without_a_shift_is_a_400_with_a_message(client_as):
    response = client_as("host").post(
        "/dispatch/position/", {"latitude": "59.611", "longitude": "16.541"}
    )
    assert response.status_code == 400
    assert "inget pågående pass" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=403,
        host=204,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=400,
    ),
)
def test_position_by_role(client_as, car, role, expected):
    post = {"latitude": "59.611", "longitude": "16.541"}
    assert_answer(client_as(role).post("/dispatch/position/", post), expected)
    # Only the host on the car has a position to send; the admin has no shift (400).
    assert list(Position.objects.values_list("shift", "host__username")) == (
        [(car.pk, "vard1")] if expected == 204 else []
    )


def test_board_shows_the_age_of_the_last_position_only_to_the_dispatcher(client_as, persona, car):
    Position.objects.create(
        shift=car,
        host=persona("host"),
        latitude=59.61,
        longitude=16.54,
        recorded_at=timezone.now() - timedelta(minutes=3),
    )
    page = client_as("chief").get("/dispatch/").content.decode()
    assert "Senaste position: 3 min sedan" in page
    assert "59.61" in page  # on the map
    assert client_as("partner").get("/dispatch/").status_code == 403


def test_a_host_acting_as_dispatcher_gets_the_board(client_as, persona, car):
    host = persona("host")
    host.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="dispatch")
    )
    client = client_as("host")
    assert client.get("/dispatch/").status_code == 200
    assert "/dispatch/" in client.get("/start/").content.decode()  # in the menu


def test_history_filters_and_exports_with_personal_columns_for_the_chief(client_as, persona, car):
    chief = persona("chief")
    request_in(State.CLEARED, by=chief, shift=car, priority=1, what="Bråk vid torget")
    make_request(by=chief, priority=3, what="Skräp")
    client = client_as("chief")
    page = client.get("/dispatch/history/?priority=1").content.decode()
    assert "Bråk vid torget" in page
    assert "Skräp" not in page
    rows = list(csv.reader(io.StringIO(_text(client.get("/dispatch/history/export.csv")))))
    assert len(rows) == 3
    assert "Bråk vid torget" in {cell for row in rows for cell in row}
    bad = client.get("/dispatch/history/export.csv?dialect=klingon")
    assert bad.status_code == 400
    refused = client.get("/dispatch/history/?first_night=igår")
    assert refused.status_code == 400
    assert list(refused.context["page"]) == []
    assert (
        '<ul class="errorlist" id="id_first_night_error"><li>Fyll i ett giltigt datum.</li></ul>'
        in refused.content.decode()
    )


def test_excel_dialect_has_bom_and_semicolons(client_as, persona, car):
    request_in(State.CLEARED, by=persona("chief"), shift=car)
    response = client_as("chief").get("/dispatch/history/export.csv?dialect=excel-sv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert b";" in body.splitlines()[0]


def test_a_residents_reported_place_fills_the_call_out_form(client_as, car):
    contact = CitizenContactFactory(
        channel="web",
        place_text="Gångtunneln vid Västerskolan",
        latitude="59.612345",
        longitude="16.543210",
    )
    page = client_as("chief").get(f"/dispatch/new/?citizen_contact={contact.pk}").content.decode()
    assert 'value="Gångtunneln vid Västerskolan"' in page
    assert 'value="59.612345"' in page


def test_a_running_call_out_tops_the_start_page_and_a_quiet_panel_waits_below(
    client_as, persona, car
):
    client = client_as("host")
    page = client.get("/start/").content.decode()
    places = [
        page.index(marker)
        for marker in ('id="quicklog-title"', 'id="tonight-panel"', 'id="dispatch-panel"')
    ]
    assert places == sorted(places)
    request_in(State.DISPATCHED, by=persona("chief"), shift=car)
    page = client.get("/start/").content.decode()
    assert page.index('id="dispatch-panel"') < page.index('id="quicklog-title"')


def test_the_position_switch_has_its_own_panel_below_the_call_outs(client_as, persona, car):
    request_in(State.DISPATCHED, by=persona("chief"), shift=car)
    page = client_as("host").get("/start/").content.decode()
    call_outs = page[
        page.index('id="dispatch-panel"') : page.index(
            "</section>", page.index('id="dispatch-panel"')
        )
    ]
    assert "data-share-position" not in call_outs
    assert page.index('id="quicklog-title"') < page.index('id="position-panel"')
    assert page.index('id="position-panel"') < page.index("data-share-position")
    assert 'id="position-panel"' not in client_as("other_host").get("/start/").content.decode()


def test_the_call_outs_map_library_comes_when_the_map_does(client_as, persona, car):
    call_out = request_in(State.DISPATCHED, by=persona("chief"), shift=car)
    page = client_as("host").get(f"/dispatch/{call_out.pk}/").content.decode()
    assert 'id="dispatch-place"' in page
    assert "data-leaflet-js=" in page
    assert not re.search(r'<script src="[^"]*vendor/leaflet/leaflet[^"]*"', page)
