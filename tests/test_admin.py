"""Every model in the admin, found by walking the admin's own registry so that a new one cannot
be forgotten: with a real object of each, the list shows it, a search for one of its values finds
it, every filter choice opens, the add page opens (or is refused where the admin forbids adding)
and the object's own page opens."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patrols.models import Visit
from properties.models import DeviationPhoto
from tests.dispatch.factories import request_in
from tests.incidents.factories import (
    CitizenContactFactory,
    EscalationFactory,
    IncidentFactory,
    NightButtonCallFactory,
    department_task,
)
from tests.patrols.factories import (
    AreaFactory,
    AssignmentFactory,
    PhoneLineFactory,
    VehicleFactory,
    make_shift,
)
from tests.properties.conftest import png_bytes
from tests.properties.factories import PropertyFactory, check
from trygghet.accounts.models import ProviderGroup
from trygghet.accounts.roles import Role
from trygghet.accounts.services import api_token_create
from trygghet.audit.models import Read
from trygghet.dispatch.models import Position, State
from trygghet.public.models import PublicText
from trygghet.push.models import PushDelivery, PushSubscription

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def one_of_each(persona, department, settings):
    """At least one row of every registered model (the categories and numbers to call come
    from the data migrations)."""
    host, chief = persona("host"), persona("chief")
    area = AreaFactory(name="Centrum", notes="Kvällsoro vid torget.")
    AssignmentFactory(area=area, created_by=chief)
    shift = make_shift(
        hosts=[host],
        active=True,
        vehicle=VehicleFactory(registration="ABC123"),
        phone_line=PhoneLineFactory(),
    )
    Visit.objects.create(
        shift=shift, area=area, arrived_at=shift.planned_start, recorded_by=host, note="Torget."
    )
    incident = IncidentFactory(reported_by=host, shift=shift, area=area)
    incident.description = "Ändrad beskrivning"
    incident.save()  # the row before the edit goes to the history
    EscalationFactory(incident=incident, reference="RTJ-4411")
    CitizenContactFactory(recorded_by=host, shift=shift, incident=incident)
    NightButtonCallFactory(phone_line=shift.phone_line, host=host, shift=shift)
    department_task(department, by=host, latitude=Decimal("59.61"), longitude=Decimal("16.54"))
    deviation = check(PropertyFactory(department=department), host, failed=["locked"]).deviation
    DeviationPhoto.objects.create(deviation=deviation, image=ContentFile(png_bytes(), "a.png"))
    request = request_in(State.ON_SCENE, by=chief, shift=shift, note="Ring väktaren.")
    Position.objects.create(shift=shift, host=host, latitude=59.61, longitude=16.54)
    _token, key = api_token_create(user=persona("report_client"), name="Rapportverktyget")
    Client(headers={"authorization": f"Token {key}"}).get("/api/v1/areas/")  # a token use
    Read.objects.create(
        user=chief, subject_type="incidents.incident", subject_id=incident.pk, what="/incidents/"
    )
    ProviderGroup.objects.create(name="trygghet-chefer", role=Role.CHIEF, department=department)
    PublicText.objects.create(key="intro", title_sv="Välkommen", body_sv="Vi finns här.")
    department.contact_email = "skola@example.se"
    department.save()
    # A phone that gets notifications, and one it got (signing in notes the session).
    Client().force_login(host)
    phone = PushSubscription.objects.create(
        user=host,
        user_session=host.user_sessions.get(),
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
    # A wrong password leaves an attempt (and, with its log on, a failure) in the lockout's tables.
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    Client().post(reverse("login"), {"username": host.username, "password": "fel"})


def searched_value(obj, search_field: str) -> str:
    """The value of `obj` at an admin search path (`^name`, `hosts__username`, …) as text."""
    value = obj
    for name in search_field.lstrip("^=@").split("__"):
        if isinstance(value, models.Manager):
            value = value.first()
        value = getattr(value, name, None)
    return "" if value is None or isinstance(value, models.Manager) else str(value)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
def test_every_registered_model_has_a_working_admin(client_as, one_of_each, model, model_admin):
    client = client_as("admin")
    names = (model._meta.app_label, model._meta.model_name)
    obj = model._default_manager.order_by("-pk").first()
    assert obj is not None, f"one_of_each makes no {model._meta.label}"

    changelist = reverse("admin:{}_{}_changelist".format(*names))
    response = client.get(changelist)
    assert response.status_code == 200
    listed = response.context["cl"]
    assert obj in listed.result_list

    term = next(filter(None, (searched_value(obj, f) for f in model_admin.search_fields)), "")
    assert term, f"no search field of {model._meta.label} has a value to look for"
    found = client.get(changelist, {"q": term})
    assert found.status_code == 200
    assert obj in found.context["cl"].result_list, term

    for spec in listed.filter_specs:
        for choice in spec.choices(listed):
            assert client.get(changelist + choice["query_string"]).status_code == 200, choice

    may_add = model_admin.has_add_permission(response.wsgi_request)
    add = client.get(reverse("admin:{}_{}_add".format(*names)))
    assert add.status_code == (200 if may_add else 403)

    change = client.get(reverse("admin:{}_{}_change".format(*names), args=[obj.pk]))
    assert change.status_code == 200
    assert change.context["original"] == obj
