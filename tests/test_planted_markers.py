"""Nothing personal reaches partners, report clients, the public or the data protection officer:
a planted-marker search.

Every text field of every model of the project (found by looking at the models, so a field added
later is planted too without anyone remembering it) gets a marker unique to its row, in a world
made through the services. Then everything a partner, a report client (with its token) and an
anonymous visitor can reach is fetched: every route the URL resolver knows with the ids of the
rows, the Open311 status of every citizen contact by its reference, every link and URL the
answers name, every API list as JSON, CSV in both dialects and GeoJSON, the stats, the lägesbild
and its printable report and the public page. No marker may appear, except those of the fields
in SHOWN_TO_ALL: the words of the product and the municipality's public facts
(docs/personal-data.md says which and why).
"""

import io
import re
import sys
from collections import Counter, deque
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from incidents.models import CitizenContact, FollowUpState, Service, ServiceNumber
from incidents.services import (
    citizen_contact_create,
    citizen_contact_report,
    department_task_transition,
    escalation_create,
    incident_create,
    incident_set_state,
    night_button_call_start,
)
from patrols.services import area_create, assignment_create, visit_arrive
from properties.models import DeviationState
from properties.services import deviation_transition
from tests.incidents.factories import category, responsible
from tests.partners.factories import ReportRowFactory
from tests.patrols.factories import PhoneLineFactory, VehicleFactory, make_shift, square
from tests.properties.factories import PropertyFactory, check
from tests.worker import worker_beating
from trygghet.accounts.models import Organisation, OrganisationKind, ProviderGroup, UserSession
from trygghet.accounts.roles import Role
from trygghet.accounts.services import (
    api_token_create,
    provider_user_sign_in,
    user_session_start,
)
from trygghet.core.follow_up import FollowUpState as TaskState
from trygghet.core.periods import last_night
from trygghet.dashboard.weekly import week_ending, weekly_message
from trygghet.dispatch.models import Source, State
from trygghet.dispatch.services import (
    dispatch_request_create,
    dispatch_request_transition,
    position_record,
)
from trygghet.partners.models import CategoryMapping, ReportRow, ReportSource, WeeklyReport
from trygghet.public.models import PublicText
from trygghet.public.texts import DEFAULTS
from trygghet.push.models import PushDelivery, PushSubscription


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return out.getvalue()


PROJECT_APPS = ("accounts", "patrols", "incidents", "properties", "dispatch", "public", "push")
# Meant for everyone who reads the picture: none of them is about a person.
SHOWN_TO_ALL = {
    "accounts.Department.name",  # the municipality's departments
    "accounts.Organisation.name",  # the EST group's partners, the sources of the figures
    "patrols.Area.name",  # the areas every figure is counted by
    "patrols.Vehicle.registration",  # the marked car, seen in the street anyway
    "patrols.Vehicle.name",
    "patrols.PhoneLine.number",  # the hosts' numbers, on the public page
    "patrols.PhoneLine.name",
    "incidents.Category.code",  # the categories every figure is counted by
    "incidents.Category.name_sv",
    "incidents.Category.name_en",
    "incidents.ServiceNumber.name",  # police, guards, on-call: public numbers
    "incidents.ServiceNumber.number",
    "properties.Property.name",  # municipal buildings, with their street address
    "properties.Property.address",
    "public.PublicText.title_sv",  # the public page's own texts
    "public.PublicText.body_sv",
    "public.PublicText.title_en",
    "public.PublicText.body_en",
}
# Not text at all: a geometry, a checklist's yes/no answers and a colour the database holds to
# #rrggbb, each validated as such.
STRUCTURED = {
    "patrols.Area.boundary",
    "properties.PropertyCheck.results",
    "incidents.Category.colour",
}
# Made by the machine, never typed: a password hash, a token's hash and prefix, history labels.
MACHINE_MADE = ("password", "key_hash", "prefix", "pgh_label")
# Not pages: signing out, the admin (staff only, its own sign-in) and the server's error pages.
NOT_CRAWLED = ("/accounts/logout", "/admin/", "/_errors/", "/static/")
LIST_EXPORTS = ("format=csv", "format=csv&dialect=excel-sv", "format=geojson")
QUERIES_PER_PAGE = 6
# The data protection officer reads the audit trail: who read which record, never its contents.
VIEWERS = ("partner", "report_client", "anonymous", "dpo")
# What a viewer may see although it is personal: the officer sees the readers' user names and
# which API token was used.
SEEN_BY = {"dpo": {"accounts.User.username", "accounts.ApiToken.name"}}


def text_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every field a person may type text into: characters, e-mail addresses and JSON, without
    choices (codes), keys and what the machine makes."""
    found: list[tuple[type[models.Model], models.Field]] = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            if field.choices or field.primary_key or field.name in MACHINE_MADE:
                continue
            found.append((model, field))
    return found


def label(model, field) -> str:
    return f"{model._meta.label}.{field.name}"


def marker(field_number: int, row_number: int) -> str:
    """Short enough for a colour's seven characters, valid as a slug and an e-mail address's
    local part; unambiguous as a substring (fixed widths, and a `q` only starts a marker)."""
    return f"q{field_number:03d}{row_number:03d}"


def planted_value(field, text: str) -> str:
    return f"{text}@example.se" if isinstance(field, models.EmailField) else text


@pytest.fixture
def world(persona, department, partner_organisation):
    """One row of everything, made the way the product makes it: a planned and worked shift
    with a visit, an incident with a photo (a street issue, so the department's task taken a
    step too), a follow-up, a call for help and a citizen contact,
    a public report, a night-button call, a property check with a deviation taken a step, a
    call-out walked to the scene, a position, an assignment and an API token."""
    chief, host = persona("chief"), persona("host")
    persona("owner"), persona("partner"), persona("report_client"), persona("admin")
    area = area_create(name="Centrum", kind="centre", boundary=square(16.53, 59.60, 0.02))
    partner_organisation.areas.add(area)
    assignment_create(
        created_by=chief,
        area=area,
        reason="Inbrott",
        priority=1,
        valid_from=timezone.localdate(),
        weekdays=list(range(7)),
        start_time="00:00",
        end_time="23:59",
        consulted_with="police",
        consulted_on=timezone.localdate(),
        consultation_note="Samråd",
        consultations=[
            {"party": "Bostadsbolaget", "consulted_on": timezone.localdate(), "note": "Möte"}
        ],
    )
    police = Organisation.objects.create(
        name="Polisen", kind=OrganisationKind.POLICE, contact_email="est@polisen.example.se"
    )
    CategoryMapping.objects.create(
        organisation=police, their_name="Klotter", category=category("graffiti")
    )
    night = last_night()
    report = WeeklyReport.objects.create(
        organisation=police,
        week=night - timedelta(days=night.weekday()),
        source=ReportSource.FORM,
        submitted_by=chief,
    )
    ReportRow.objects.create(
        report=report, night=night, category=category("graffiti"), area=area, count=2, note="Anm"
    )
    line = PhoneLineFactory(night_button=True)
    shift = make_shift(hosts=[host], active=True, vehicle=VehicleFactory(), phone_line=line)
    visit_arrive(shift=shift, area=area, by=host)
    incident, _ = incident_create(
        by=host,
        category=responsible(department),
        latitude=Decimal("59.61"),
        longitude=Decimal("16.54"),
        place_text="Torget",
        description="Text",
        people_involved="Någon",
        photos=[SimpleUploadedFile("a.jpg", jpeg())],
    )
    incident_set_state(incident=incident, by=chief, state=FollowUpState.IN_PROGRESS, note="Ring")
    department_task_transition(
        task=incident.department_task, to=TaskState.ACKNOWLEDGED, by=persona("owner"), note="Sett"
    )
    escalation_create(
        incident=incident,
        by=host,
        service_number=ServiceNumber.objects.filter(service=Service.POLICE).first(),
        reference="K-1",
        note="Anteckning",
    )
    citizen_contact_create(
        by=host,
        channel="phone",
        phone_line=line,
        reason="Oro",
        contact_details="070",
        incident=incident,
    )
    cache.clear()  # the public form's rate limit
    contact = citizen_contact_report(
        category=category("graffiti"), reason="Klotter", place_text="Här"
    )
    night_button_call_start(by=host, phone_line=line)
    property = PropertyFactory(department=department, contact_email="skola@example.se")
    deviation = check(property, host, failed=["locked"], description="Öppet", action_note="Låst")
    deviation = deviation.deviation
    deviation_transition(deviation=deviation, to=DeviationState.ACKNOWLEDGED, by=chief, note="Sett")
    request, _ = dispatch_request_create(
        by=chief,
        what="Bråk",
        source=Source.CITIZEN_CONTACT,
        citizen_contact=contact,
        latitude=59.61,
        longitude=16.54,
        place_text="Torget",
        note="Ring",
    )
    dispatch_request_transition(
        request=request,
        by=chief,
        to=State.DISPATCHED,
        version=request.version,
        shift=shift,
        note="Åk",
    )
    position_record(host=host, latitude=59.61, longitude=16.54)
    api_token_create(user=chief, name="Export")
    ProviderGroup.objects.create(name="trygghet-vardar", role=Role.HOST, department=department)
    provider_user_sign_in(
        issuer="https://login.example.se/kommun",
        subject="ahmed",
        claims={"groups": ["trygghet-vardar"], "given_name": "Ahmed", "email": "a@example.se"},
    )
    user_session_start(
        user=host, session_key="s" * 32, user_agent="Mozilla/5.0", address="203.0.113.7"
    )
    # The phone's subscription for notifications (made in a live session, which it goes with),
    # and one notification sent to it.
    on_the_phone = Client()
    on_the_phone.force_login(host)
    phone = PushSubscription.objects.create(
        user=host,
        user_session=UserSession.objects.get(session_key=on_the_phone.session.session_key),
        endpoint="https://push.example.se/1",
        p256dh="key",
        auth="secret",
    )
    PushDelivery.objects.create(
        subscription=phone,
        url=request.get_absolute_url(),
        event_at=timezone.now(),
        sent_at=timezone.now(),
        status=201,
    )
    worker_beating()
    for key in DEFAULTS:
        PublicText.objects.create(key=key, title_sv="Rubrik", body_sv="Text", updated_by=chief)
    row = ReportRowFactory(note="Klotter vid entrén", area=area)
    CategoryMapping.objects.create(
        organisation=row.report.organisation, their_name="Skadegörelse", category=row.category
    )
    return incident


def plant(fields) -> dict[str, tuple[str, int]]:
    """Overwrite every text field of every row with its marker; {marker: (field label, row pk)}.
    Every model with a text field must have a row, or a new model would go unsearched."""
    planted = {}
    for field_number, (model, field) in enumerate(fields):
        rows = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        assert rows, f"{model._meta.label} has no row: make one in world()"
        for row_number, pk in enumerate(rows):
            text = marker(field_number, row_number)
            value = planted_value(field, text)
            model._default_manager.filter(pk=pk).update(
                **{field.name: [value] if isinstance(field, models.JSONField) else value}
            )
            planted[text] = (label(model, field), pk)
    return planted


def routes() -> list[tuple[str, list[str], type | None]]:
    """(name to reverse, its keyword arguments, the view's class) for every named route but the
    admin's and the format-suffix twins."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            if not pattern.name:
                continue
            keys = list(pattern.pattern.regex.groupindex)
            if "format" in keys:
                continue
            view = getattr(pattern.callback, "view_class", None) or getattr(
                pattern.callback, "cls", None
            )
            found.append((namespace + pattern.name, keys, view))

    walk(get_resolver().url_patterns, "")
    return found


def kebab(model) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", model.__name__).lower()


def row_ids() -> dict[str, set]:
    """Each project model's row ids by its kebab-case name, and `*` for all of them."""
    ids: dict[str, set] = {"*": set()}
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            pks = set(model._default_manager.values_list("pk", flat=True))
            ids[kebab(model)] = pks
            ids["*"] |= pks
    return ids


def pairs() -> set[tuple]:
    """(parent id, child id) of every row that points at another: a photo of an incident."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one:
                for parent, pk in model._default_manager.values_list(field.attname, "pk"):
                    if parent is not None:
                        found.add((parent, pk))
    return found


def urls_from_resolver() -> set[str]:
    """Every route with the ids of the rows it may show. A route named after a model
    ("citizen-contact-edit") gets that model's ids, any other every id."""
    ids, two = row_ids(), pairs()
    names = sorted((name for name in ids if name != "*"), key=len, reverse=True)
    urls = set()
    for name, keys, view in routes():
        short = name.rsplit(":", 1)[-1]
        candidates: list[dict]
        if not keys:
            candidates = [{}]
        elif len(keys) == 1:
            model = next((model for model in names if short.startswith(model)), "*")
            candidates = [{keys[0]: pk} for pk in ids[model]]
        else:
            candidates = [dict(zip(keys, pair, strict=True)) for pair in two]
        for kwargs in candidates:
            url = reverse(name, kwargs=kwargs)
            urls.add(url)
            if short.endswith("-list"):
                urls.update(f"{url}?{query}" for query in LIST_EXPORTS)
            if short.endswith("export"):
                urls.add(f"{url}?dialect=excel-sv")
            if view is not None and hasattr(view, "dimensions"):
                group_by = ",".join(view.dimensions())
                today = timezone.localdate()
                period = f"from={today - timedelta(days=7)}&to={today + timedelta(days=1)}"
                urls.update(
                    f"{url}?{period}&group_by={group_by}&bucket={bucket}{export}"
                    for bucket in ("night", "week")
                    for export in ("", "&format=csv")
                )
    return urls


def open311_statuses() -> set[str]:
    """Where anyone holding a report's reference reads its status, in both formats."""
    references = CitizenContact.objects.exclude(reference=None).values_list("reference", flat=True)
    return {f"/open311/v2/requests/{ref}.{fmt}" for ref in references for fmt in ("json", "xml")}


LINK = re.compile(r'(?:href|src|action|hx-get|data-[a-z-]*url)="([^"#]+)"')
JSON_URL = re.compile(r'"(http://testserver/[^"]+|/[a-z][^" ]*/)"')


def links(body: str) -> set[str]:
    found = set()
    for match in [*LINK.findall(body), *JSON_URL.findall(body)]:
        url = match.replace("&amp;", "&")
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def body_of(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        content = b"".join(response.streaming_content)  # type: ignore[arg-type]  # a sync test client's stream
    else:
        content = b"".join(response) if response.streaming else response.content
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return headers + "\n" + content.decode("utf-8", errors="replace")


def crawl(client: Client, start: set[str]) -> dict[str, str]:
    """Every URL reachable from `start` with status 200, and its answer (headers and body).
    A page's links to other queries of itself (the period before, the week after) are followed
    a few times: the same rows, in a calendar without end."""
    seen, answers, queue = set(), {}, deque(sorted(start))
    queries: Counter[str] = Counter()
    while queue:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_CRAWLED):
            continue
        seen.add(url)
        path = url.split("?", 1)[0]
        if url not in start and "?" in url:
            queries[path] += 1
            if queries[path] > QUERIES_PER_PAGE:
                continue
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        answers[url] = body_of(response)
        queue.extend(sorted(links(answers[url]) - seen))
    return answers


def client_for(role, persona) -> Client:
    if role == "anonymous":
        return Client()
    if role == "report_client":
        _token, key = api_token_create(user=persona(role), name="Lägesbild")
        return Client(headers={"authorization": f"Token {key}"})
    client = Client()
    client.force_login(persona(role))
    return client


def test_fields_are_found_and_classified():
    """What the search covers; a JSON field must be planted or said to be structured."""
    labels = {label(model, field) for model, field in text_fields()}
    assert {
        "incidents.Incident.description",
        "incidents.FollowUp.note",
        "incidents.Escalation.reference",
        "incidents.CitizenContact.contact_details",
        "accounts.Department.contact_email",
        "accounts.User.first_name",
        "properties.Property.access_notes",
        "dispatch.DispatchStep.note",
    } <= labels
    assert labels >= (SHOWN_TO_ALL | STRUCTURED)


def test_no_marker_reaches_partners_report_clients_or_the_public(world, persona, settings, capsys):
    settings.PUBLIC_REPORT_LIMIT = 10_000
    clients = {role: client_for(role, persona) for role in VIEWERS}
    fields = [
        (model, field) for model, field in text_fields() if label(model, field) not in STRUCTURED
    ]
    planted = plant(fields)
    secret = {text: where for text, where in planted.items() if where[0] not in SHOWN_TO_ALL}

    # The control: the chief sees what was planted, so the search would find a leak.
    chief_page = body_of(client_for("chief", persona).get(world.get_absolute_url()))
    assert any(text in chief_page for text in secret)

    own = {role: persona(role).pk for role in ("partner", "report_client", "dpo")}
    start = urls_from_resolver() | {"/", "/lagesbild/", "/lagesbild/report/"} | open311_statuses()
    places, leaks = Counter(), []
    for role, client in clients.items():
        answers = crawl(client, start)
        places[role] = len(answers)
        for url, body in answers.items():
            lowered = body.lower()
            for text, (field, pk) in secret.items():
                # A user's own name on their own pages is not a leak.
                if field.startswith("accounts.User.") and pk == own.get(role):
                    continue
                if field in SEEN_BY.get(role, ()):
                    continue
                # What the client named in its request (a report's reference) is not a leak.
                if text in url.lower():
                    continue
                if text in lowered:
                    leaks.append(f"{role} {url}: {field} (row {pk})")
    with capsys.disabled():
        sys.stdout.write(
            f"\nplanted markers: {len(planted)} ({len(secret)} secret) in {len(fields)} fields; "
            f"places searched: {dict(places)}; marker × place checks: "
            f"{len(secret) * sum(places.values())}\n"
        )
    assert places["partner"] > 50 and places["report_client"] > 20 and places["anonymous"] > 2
    assert not leaks, "\n".join(sorted(set(leaks)))


def test_the_crawl_reaches_every_export_and_the_lagesbild(world, persona):
    """The search is only as good as what it fetches: the partner's answers include every
    list's exports, the stats, the lägesbild and its printable report."""
    answers = crawl(client_for("partner", persona), urls_from_resolver() | {"/lagesbild/"})
    fetched = set(answers)
    for needed in (
        "/api/v1/incidents/?format=csv",
        "/api/v1/incidents/?format=csv&dialect=excel-sv",
        "/api/v1/incidents/?format=geojson",
        "/lagesbild/",
        "/lagesbild/report/",
        f"/incidents/{world.pk}/",
    ):
        assert needed in fetched, needed
    assert any(url.startswith("/api/v1/stats/incidents/?from=") for url in fetched)
    assert any(url.startswith("/api/v1/stats/escalations/?from=") for url in fetched)


def test_nothing_outside_the_partners_scope_reaches_them(world, persona, settings):
    """Beside the world inside the partner's scope: an area outside it (its name a marker) with
    an incident, a call for help and a call-out there; in the partner's own area, an incident of
    a group outside the scope and one from before the agreement. The partner reaches none of
    them on any page, export or API route, nor in the weekly e-mail."""
    chief, host = persona("chief"), persona("host")
    partner = persona("partner")
    outside = area_create(name="q-utanfor", kind="park", boundary=square(16.70, 59.70, 0.02))
    shift = world.shift
    assignment_create(
        created_by=chief,
        area=outside,
        reason="Oro",
        priority=1,
        valid_from=timezone.localdate(),
        weekdays=list(range(7)),
        start_time="00:00",
        end_time="23:59",
        consulted_with="police",
        consulted_on=timezone.localdate(),
        consultation_note="Samråd",
    )
    visit_arrive(shift=shift, area=outside, by=host)

    def logged(code: str, latitude: str, longitude: str):
        return incident_create(
            by=host,
            category=category(code),
            shift=shift,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )[0]

    there = logged("graffiti", "59.71", "16.71")
    assert there.area == outside
    escalation_create(
        incident=there,
        by=host,
        service_number=ServiceNumber.objects.filter(service=Service.POLICE).first(),
    )
    dispatch_request_create(
        by=chief, what="Bråk", source=Source.CHIEF, latitude=59.71, longitude=16.71
    )
    violence = logged("violence", "59.61", "16.54")
    long_ago = logged("graffiti", "59.61", "16.54")
    type(long_ago).objects.filter(pk=long_ago.pk).update(
        occurred_at=timezone.now().replace(year=2019)
    )
    hidden = [there, violence, long_ago]

    answers = crawl(client_for("partner", persona), urls_from_resolver() | {"/lagesbild/"})
    assert f"/incidents/{world.pk}/" in answers  # the control: the partner's own is there
    for url, body in answers.items():
        assert "q-utanfor" not in body.lower(), url
    for incident in hidden:
        assert f"/incidents/{incident.pk}/" not in answers
        assert f"/api/v1/incidents/{incident.pk}/" not in answers
    listed = client_for("partner", persona).get("/api/v1/incidents/?page_size=100").json()
    assert [row["id"] for row in listed["results"]] == [world.pk]
    csv = answers["/api/v1/incidents/?format=csv"]
    assert csv.count(f"\n{world.pk},") == 1
    assert not any(f"\n{incident.pk}," in csv for incident in hidden)

    week = week_ending(timezone.localdate())
    message = weekly_message(partner, week)
    assert "q-utanfor" not in message.body
    assert "q-utanfor" not in message.alternatives[0].content
