import csv
import io
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from incidents.models import (
    Category,
    Escalation,
    Incident,
    IncidentPhoto,
    NightButtonCall,
    ServiceNumber,
)
from patrols.models import ShiftState
from tests.access import LOGIN, assert_answer, by_role
from tests.core.test_photos import jpeg_with_gps
from tests.incidents.factories import (
    CitizenContactFactory,
    EscalationFactory,
    IncidentFactory,
    category,
    make_records,
)

MARKER = "PERSONUPPGIFT"


def content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/incidents/",
            by_role(
                anonymous=LOGIN,
                chief=200,
                host=200,
                owner=403,
                dpo=403,
                partner=200,
                report_client=LOGIN,
                admin=200,
            ),
        ),
        (
            "/incidents/map/",
            by_role(
                anonymous=LOGIN,
                chief=200,
                host=200,
                owner=403,
                dpo=403,
                partner=200,
                report_client=LOGIN,
                admin=200,
            ),
        ),
        (
            "/incidents/export.csv",
            by_role(
                anonymous=LOGIN,
                chief=200,
                host=403,
                owner=403,
                dpo=403,
                partner=200,
                report_client=LOGIN,
                admin=200,
            ),
        ),
        (
            "/citizen-contacts/",
            by_role(
                anonymous=LOGIN,
                chief=200,
                host=200,
                owner=403,
                dpo=403,
                partner=200,
                report_client=LOGIN,
                admin=200,
            ),
        ),
        (
            "/night-button/",
            by_role(
                anonymous=LOGIN,
                chief=200,
                host=200,
                owner=403,
                dpo=403,
                partner=200,
                report_client=LOGIN,
                admin=200,
            ),
        ),
        (
            "/incidents/new/?category=graffiti",
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
        ),
        (
            "/citizen-contacts/new/",
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
        ),
    ],
    ids=["list", "map", "export", "contacts", "night-button", "create", "contact-create"],
)
def test_page_access(client_as, incident, url, expected):
    for param in expected:
        role, status = param.values
        assert_answer(client_as(role).get(url), status)


@pytest.mark.parametrize(
    ("role", "own", "others"),
    [
        ("anonymous", LOGIN, LOGIN),
        ("chief", 200, 200),
        ("host", 200, 404),
        ("owner", 403, 403),
        ("partner", 200, 200),
        ("report_client", LOGIN, LOGIN),
        ("admin", 200, 200),
    ],
)
def test_detail_access_including_another_hosts_incident(
    client_as, incident, others_incident, role, own, others
):
    client = client_as(role)
    assert_answer(client.get(f"/incidents/{incident.pk}/"), own)
    assert_answer(client.get(f"/incidents/{others_incident.pk}/"), others)


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
def test_edit_access(client_as, incident, others_incident, role, own, others):
    client = client_as(role)
    assert_answer(client.get(f"/incidents/{incident.pk}/edit/"), own)
    assert_answer(client.get(f"/incidents/{others_incident.pk}/edit/"), others)


def test_a_colleague_on_the_shift_sees_but_cannot_edit(client_as, persona, shift):
    from patrols.models import ShiftHost

    ShiftHost.objects.create(
        shift=shift, host=persona("other_host"), period=shift.shift_hosts.first().period
    )
    theirs = IncidentFactory(reported_by=persona("other_host"), shift=shift)
    client = client_as("host")
    assert client.get(f"/incidents/{theirs.pk}/").status_code == 200
    assert client.get(f"/incidents/{theirs.pk}/edit/").status_code == 403


def test_host_start_page_shows_the_quick_log_during_a_shift(client_as, shift):
    page = client_as("host").get("/start/").content.decode()
    assert "/incidents/new/?category=graffiti" in page
    assert "Klotter" in page


def test_the_quick_log_puts_the_teams_most_used_category_first(client_as, persona, shift):
    buttons = list(Category.objects.filter(active=True, quick_log=True).order_by("position"))
    last = buttons[-1]
    IncidentFactory.create_batch(
        2,
        category=last,
        reported_by=persona("host"),
        occurred_at=timezone.now() - timedelta(days=3),
    )
    # Used often, but long ago: the last four weeks count.
    IncidentFactory.create_batch(
        5,
        category=buttons[-2],
        reported_by=persona("host"),
        occurred_at=timezone.now() - timedelta(days=40),
    )
    page = client_as("host").get("/start/").content.decode()
    order = [page.index(f"?category={button.code}") for button in buttons]
    assert min(order) == page.index(f"?category={last.code}")
    assert order[:-1] == sorted(order[:-1])


def test_during_a_shift_the_quick_log_comes_first_and_ending_it_last(client_as, shift):
    page = client_as("host").get("/start/").content.decode()
    places = [
        page.index(marker)
        for marker in ('id="quicklog-title"', 'id="tonight', 'id="logged-title"', "/end/")
    ]
    assert places == sorted(places)


def test_host_start_page_without_shift_explains(client_as):
    page = client_as("host").get("/start/").content.decode()
    assert "/incidents/new/" not in page
    assert "Starta ditt pass" in page


def test_quick_log_form_is_pre_filled(client_as, shift):
    response = client_as("host").get("/incidents/new/?category=graffiti")
    form = response.context["form"]
    assert form.initial["category"] == category("graffiti")
    assert abs((form.initial["occurred_at"] - timezone.now()).total_seconds()) < 90
    assert 'name="client_key"' in response.content.decode()
    assert "data-locate" in response.content.decode()


def _local(**delta) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def quick_log_data(**extra):
    return {
        "category": category("graffiti").pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "latitude": "59.611111",
        "longitude": "16.541111",
        "client_key": str(uuid.uuid4()),
        "source": "own_observation",
        **extra,
    }


def test_quick_log_saves_and_a_resent_post_makes_no_duplicate(client_as, shift, area):
    client = client_as("host")
    data = quick_log_data()
    for _ in range(3):
        response = client.post("/incidents/new/", data)
        assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.area == area
    assert incident.shift == shift


def test_quick_log_with_photos(client_as, shift):
    photo = SimpleUploadedFile("IMG_1.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client_as("host").post("/incidents/new/", quick_log_data(photos=[photo]))
    assert response.status_code == 302
    stored = IncidentPhoto.objects.get()
    assert "IMG_1" not in stored.image.name


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"latitude": "48.85", "longitude": "2.35"}, "utanför Sverige"),
        ({"latitude": "1e308", "longitude": "16.5"}, "mellan -90 och 90"),
        ({"latitude": "NaN", "longitude": "16.5"}, "mellan -90 och 90"),
        ({"occurred_at": lambda: _local(hours=2)}, "framtiden"),
        ({"occurred_at": lambda: _local(days=-60)}, "säkerhetschefen"),
        ({"occurred_at": "0001-01-01T00:00"}, "1 januari 2000"),
        ({"occurred_at": "9999-12-31T23:59"}, "1 januari 2000"),
        ({"description": "x" * 1_900_000}, "4000"),
        ({"place_text": "x" * 201}, "200"),
        ({"category": "99999"}, "Okänd kategori"),
        ({"photos": [SimpleUploadedFile("x.jpg", b"%PDF-1.4")]}, "inte en bild"),
    ],
    ids=[
        "outside-sweden",
        "huge",
        "nan",
        "future",
        "march",
        "year-1",
        "year-9999",
        "long-description",
        "long-place",
        "unknown-category",
        "not-an-image",
    ],
)
def test_quick_log_bad_input_is_a_400_with_a_swedish_message(client_as, shift, extra, message):
    extra = {name: value() if callable(value) else value for name, value in extra.items()}
    response = client_as("host").post("/incidents/new/", quick_log_data(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()


def test_quick_log_without_shift_is_refused(client_as, persona):
    response = client_as("host").post("/incidents/new/", quick_log_data())
    assert response.status_code == 400
    assert "inget aktivt pass" in response.content.decode()


def test_amendment_after_the_shift_keeps_the_original_on_the_detail_page(
    client_as, incident, shift
):
    shift.state = ShiftState.CLOSED
    shift.actual_end = timezone.now()
    shift.save()
    client = client_as("host")
    page = client.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert "tillägg i efterhand" in page
    data = quick_log_data(description="Rättad beskrivning", people_involved="")
    response = client.post(f"/incidents/{incident.pk}/edit/", data)
    assert response.status_code == 302
    detail = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Ändrad i efterhand" in detail
    assert "PERSONUPPGIFT beskrivning" in detail  # the original
    assert "Rättad beskrivning" in detail


def test_chief_moves_the_follow_up_along(client_as, incident):
    client = client_as("chief")
    response = client.post(
        f"/incidents/{incident.pk}/follow-up/", {"state": "in_progress", "note": "Till polisen"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == "in_progress"
    assert "Till polisen" in client.get(f"/incidents/{incident.pk}/").content.decode()


def test_host_cannot_set_follow_up(client_as, incident):
    response = client_as("host").post(f"/incidents/{incident.pk}/follow-up/", {"state": "closed"})
    assert response.status_code == 403


def test_partner_sees_no_personal_data_anywhere(client_as, incident):
    EscalationFactory(incident=incident)
    CitizenContactFactory(incident=incident, recorded_by=incident.reported_by)
    IncidentPhoto.objects.create(
        incident=incident, image=SimpleUploadedFile("a.jpg", b"x"), uploaded_by=incident.reported_by
    )
    client = client_as("partner")
    for url in [
        "/incidents/",
        f"/incidents/{incident.pk}/",
        "/incidents/map/",
        "/incidents/export.csv",
        "/incidents/export.csv?dialect=excel-sv",
        "/citizen-contacts/",
        "/night-button/",
    ]:
        body = content(client.get(url))
        assert MARKER not in body, url
        assert incident.reported_by.username not in body, url
    assert client.get(f"/incidents/{incident.pk}/photos/1/").status_code == 403
    # Searching personal text finds nothing for those who may not read it.
    assert "Inga händelser" in content(client.get("/incidents/?q=PERSONUPPGIFT"))


def test_chief_sees_personal_data(client_as, incident):
    body = content(client_as("chief").get(f"/incidents/{incident.pk}/"))
    assert "PERSONUPPGIFT beskrivning" in body
    assert "Vid busshållplatsen" in content(client_as("chief").get("/incidents/?q=busshåll"))


def test_csv_download_round_trips_through_the_csv_module(client_as, incident):
    tricky = 'Sten; "kastad"\nmot fönster'
    Incident.objects.filter(pk=incident.pk).update(description=tricky)
    response = client_as("chief").get(
        "/incidents/export.csv?dialect=excel-sv&source=own_observation"
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body[3:].decode()), delimiter=";"))
    header, row = rows
    assert row[header.index("Beskrivning")] == tricky
    assert row[header.index("Latitud")] == "59,610000"
    assert row[header.index("Kategori")] == "Klotter"


def test_csv_follows_the_filters(client_as, incident):
    IncidentFactory(reported_by=incident.reported_by, category=category("fire"))
    response = client_as("chief").get(f"/incidents/export.csv?category={category('fire').pk}")
    rows = list(csv.reader(io.StringIO(content(response))))
    assert len(rows) == 2
    assert rows[1][2] == "fire"


def test_csv_unknown_dialect_is_a_400(client_as, incident):
    response = client_as("chief").get("/incidents/export.csv?dialect=word")
    assert response.status_code == 400
    assert "excel-sv" in response.content.decode()


def test_bad_filter_is_a_400_with_a_message(client_as, incident):
    client = client_as("chief")
    response = client.get("/incidents/?area=99999")
    assert response.status_code == 400
    html = response.content.decode()
    # The message sits under the field it is about, and the refused filter lists nothing
    # rather than every incident as if they matched.
    assert '<ul class="errorlist" id="id_area_error"><li>Okänt område.</li></ul>' in html
    assert 'aria-describedby="id_area_error"' in html
    assert list(response.context["page"]) == []
    assert "0 händelser" in html
    assert client.get("/incidents/map/?area=99999").json()["features"] == []


def test_list_filters(client_as, incident, persona):
    other = IncidentFactory(reported_by=persona("host"), category=category("fire"))
    EscalationFactory(incident=other)
    client = client_as("chief")
    assert list(client.get("/incidents/?has_escalation=true").context["page"]) == [other]
    assert list(client.get("/incidents/?has_escalation=false").context["page"]) == [incident]
    today = timezone.localdate().isoformat()
    assert len(client.get(f"/incidents/?date_from={today}&date_to={today}").context["page"]) == 2
    assert not client.get("/incidents/?date_to=2020-01-01").context["page"].object_list


def test_map_is_geojson_of_the_filtered_list(client_as, incident):
    IncidentFactory(reported_by=incident.reported_by, latitude=None, longitude=None)
    data = client_as("chief").get("/incidents/map/").json()
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"]["coordinates"] == [16.54, 59.61]


def test_the_map_says_when_it_draws_only_the_newest(client_as, persona, monkeypatch):
    monkeypatch.setattr("incidents.selectors.MAP_LIMIT", 2)
    IncidentFactory.create_batch(2, reported_by=persona("host"))
    client = client_as("chief")
    assert client.get("/incidents/map/").json()["truncated"] is False
    IncidentFactory(reported_by=persona("host"))
    data = client.get("/incidents/map/").json()
    assert (len(data["features"]), data["truncated"], data["limit"]) == (2, True, 2)


def test_the_map_data_is_compressed_and_revalidated(client_as, persona):
    IncidentFactory.create_batch(30, reported_by=persona("host"))
    client = client_as("chief")
    first = client.get("/incidents/map/", headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(
        "/incidents/map/", headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    IncidentFactory(reported_by=persona("host"))
    changed = client.get("/incidents/map/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200


def test_the_hosts_pages_are_compressed(client_as, shift):
    response = client_as("host").get("/start/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "url", ["/incidents/", "/citizen-contacts/", "/night-button/", "/incidents/map/"]
)
def test_list_pages_have_a_fixed_query_count(
    client_as, persona, shift, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("chief")

    def make(n):
        make_records(n, host=persona("host"), shift=shift)

    make(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    make(5)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(one)


def test_detail_page_has_a_fixed_query_count(client_as, incident, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("chief")
    EscalationFactory(incident=incident)
    client.get(f"/incidents/{incident.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/incidents/{incident.pk}/")
    EscalationFactory.create_batch(4, incident=incident)
    with CaptureQueriesContext(connection) as five:
        response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("PERSONUPPGIFT anteckning") == 5
    assert len(five) == len(one)


def test_host_detail_has_tel_links_that_record_the_call(client_as, incident):
    client = client_as("host")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    police = ServiceNumber.objects.get(number="114 14")
    assert 'href="tel:11414"' in page
    assert f'data-service-number="{police.pk}"' in page
    key = str(uuid.uuid4())
    for _ in range(2):  # the beacon and its fetch fallback may both arrive
        response = client.post(
            f"/incidents/{incident.pk}/call/", {"service_number": police.pk, "client_key": key}
        )
        assert response.status_code == 204
    escalation = Escalation.objects.get()
    assert escalation.service == "police"
    assert escalation.recorded_by == incident.reported_by
    partial = client.get(f"/incidents/{incident.pk}/", headers={"HX-Request": "true"})
    assert "Polisen" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_call_endpoint_refuses_bad_input_and_others(client_as, incident, others_incident):
    client = client_as("host")
    assert (
        client.post(
            f"/incidents/{incident.pk}/call/", {"service_number": 999, "client_key": "x"}
        ).status_code
        == 400
    )
    police = ServiceNumber.objects.get(number="114 14")
    data = {"service_number": police.pk, "client_key": str(uuid.uuid4())}
    assert client.post(f"/incidents/{others_incident.pk}/call/", data).status_code == 404
    assert client_as("partner").post(f"/incidents/{incident.pk}/call/", data).status_code == 403
    assert client.get(f"/incidents/{incident.pk}/call/").status_code == 405
    assert not Escalation.objects.exists()


def test_escalation_times_are_edited_afterwards(client_as, incident):
    escalation = EscalationFactory(incident=incident)
    client = client_as("host")
    called = timezone.localtime(escalation.called_at)
    response = client.post(
        f"/incidents/calls-for-help/{escalation.pk}/",
        {
            "called_at": called.strftime("%Y-%m-%dT%H:%M"),
            "arrived_at": called.strftime("%Y-%m-%dT%H:%M"),
            "reference": "5000-K123-26",
        },
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.reference == "5000-K123-26"


def test_manual_escalation(client_as, incident):
    response = client_as("host").post(
        f"/incidents/{incident.pk}/calls-for-help/new/",
        {
            "service": "rescue",
            "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Escalation.objects.get().service == "rescue"


def test_photo_is_served_only_after_the_check(client_as, incident, others_incident):
    from django.core.files.base import ContentFile

    photo = IncidentPhoto.objects.create(
        incident=incident,
        image=ContentFile(jpeg_with_gps(), name="a.jpg"),
        uploaded_by=incident.reported_by,
    )
    url = f"/incidents/{incident.pk}/photos/{photo.pk}/"
    for role in ("chief", "host"):
        response = client_as(role).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert_answer(client_as("anonymous").get(url), LOGIN)
    assert client_as("partner").get(url).status_code == 403
    assert client_as("owner").get(url).status_code == 403
    assert (
        client_as("host").get(f"/incidents/{others_incident.pk}/photos/{photo.pk}/").status_code
        == 404
    )


def test_night_button_start_and_end(client_as, shift):
    client = client_as("host")
    page = client.get("/night-button/").content.decode()
    assert "Samtal startat" in page
    key = str(uuid.uuid4())
    client.post("/night-button/start/", {"client_key": key})
    client.post("/night-button/start/", {"client_key": key})
    call = NightButtonCall.objects.get()
    assert call.phone_line == shift.phone_line
    page = client.get("/night-button/").content.decode()
    assert "Hur slutade samtalet?" in page
    client.post(f"/night-button/{call.pk}/end/", {"outcome": "arrived"})
    call.refresh_from_db()
    assert call.outcome == "arrived"
    assert call.ended_at is not None


def test_night_button_end_of_another_hosts_call_is_404(client_as, persona, other_shift):
    call = NightButtonCall.objects.create(
        phone_line=other_shift.phone_line,
        host=persona("other_host"),
        shift=other_shift,
        started_at=timezone.now(),
    )
    assert (
        client_as("host").post(f"/night-button/{call.pk}/end/", {"outcome": "arrived"}).status_code
        == 404
    )


def test_citizen_contact_that_became_an_incident_is_linked(client_as, shift):
    client = client_as("host")
    response = client.post(
        "/citizen-contacts/new/",
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "phone_line": shift.phone_line.pk,
            "category": category("crowd").pk,
            "reason": "Stökigt gäng vid skolan",
            "outcome": "became_incident",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert "?contact=" in response.url
    form = client.get(response.url).context["form"]
    assert form.initial["source"] == "citizen_call"
    response = client.post(response.url, quick_log_data(category=category("crowd").pk))
    assert response.status_code == 302
    from incidents.models import CitizenContact

    contact = CitizenContact.objects.get()
    assert contact.outcome == "became_incident"
    assert contact.incident == Incident.objects.get()


def test_lists_write_the_month_the_swedish_way(client_as, persona):
    """Django's "M" capitalises ("27 Nov"); Swedish writes "27 nov"."""
    moment = datetime(2026, 11, 27, 3, 50, tzinfo=ZoneInfo("Europe/Stockholm"))
    IncidentFactory(reported_by=persona("host"), occurred_at=moment)
    html = client_as("chief").get("/incidents/").content.decode()
    assert "27 nov 03:50" in html
    assert "27 Nov" not in html


def test_switching_a_contact_to_in_person_drops_the_line_picked_before(client_as, shift):
    response = client_as("host").post(
        "/citizen-contacts/new/",
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "in_person",
            "phone_line": shift.phone_line.pk,
            "reason": "Kom fram till bilen",
            "outcome": "handled",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    from incidents.models import CitizenContact

    contact = CitizenContact.objects.get()
    assert (contact.channel, contact.phone_line) == ("in_person", None)


def test_the_map_carries_only_what_it_draws(client_as, incident):
    (feature,) = client_as("chief").get("/incidents/map/").json()["features"]
    assert set(feature["properties"]) == {"id", "category", "colour", "occurred_at"}


def test_the_incidents_map_library_comes_when_the_map_does(client_as, incident):
    page = client_as("host").get(f"/incidents/{incident.pk}/").content.decode()
    assert 'id="incident-position"' in page
    assert "data-leaflet-js=" in page
    assert not re.search(r'<script src="[^"]*vendor/leaflet/leaflet[^"]*"', page)
