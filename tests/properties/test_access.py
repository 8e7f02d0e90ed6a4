"""Every role against every page of the app, with own and another department's objects."""

import pytest
from django.urls import reverse

from properties.models import PropertyCheck
from properties.permissions import department_filter_for
from tests.access import by_role
from tests.patrols.factories import make_shift
from trygghet.accounts.models import Department

PAGE = dict(anonymous=302, report_client=302)


def photo_status(client, deviation) -> int:
    response = client.get(deviation.photos.get().get_absolute_url())
    response.close()  # a served photo is a file response; close the file
    return response.status_code


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=403, host=200, owner=403, partner=403, admin=200),
)
def test_round(client_as, role, status):
    assert client_as(role).get(reverse("properties:round")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=403, host=200, owner=403, partner=403, admin=200),
)
def test_check_page(client_as, role, status, other_building):
    url = reverse("properties:property-check", args=[other_building.pk])
    assert client_as(role).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=403, host=302, owner=403, partner=403, admin=400),
)
def test_posting_a_check(client_as, persona, role, status, other_building):
    make_shift(hosts=[persona("host")], active=True)
    url = reverse("properties:property-check", args=[other_building.pk])
    assert client_as(role).post(url, {"all_ok": "1"}).status_code == status
    assert PropertyCheck.objects.count() == (1 if role == "host" else 0)


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=200, partner=403, admin=200),
)
def test_register(client_as, role, status, own_building):
    assert client_as(role).get(reverse("properties:property-list")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=200, partner=403, admin=200),
)
def test_own_property_detail(client_as, role, status, own_building):
    assert client_as(role).get(own_building.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=404, partner=403, admin=200),
)
def test_other_departments_property_detail(client_as, role, status, other_building):
    assert client_as(role).get(other_building.get_absolute_url()).status_code == status


@pytest.mark.parametrize("name", ["property-create", "property-import", "property-import-template"])
@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=403, partner=403, admin=200),
)
def test_register_management(client_as, role, status, name):
    assert client_as(role).get(reverse(f"properties:{name}")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=403, partner=403, admin=200),
)
def test_edit(client_as, role, status, own_building):
    url = reverse("properties:property-edit", args=[own_building.pk])
    assert client_as(role).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=403, partner=403, admin=200),
)
def test_figures(client_as, role, status):
    assert client_as(role).get(reverse("properties:figures")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=200, partner=403, admin=200),
)
def test_deviation_list(client_as, role, status, own_deviation):
    assert client_as(role).get(reverse("properties:deviation-list")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=200, partner=403, admin=200),
)
def test_own_deviation_and_photo(client_as, role, status, own_deviation):
    client = client_as(role)
    assert client.get(own_deviation.get_absolute_url()).status_code == status
    assert photo_status(client, own_deviation) == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=200, host=403, owner=404, partner=403, admin=200),
)
def test_other_departments_deviation_and_photo(client_as, role, status, other_deviation):
    client = client_as(role)
    assert client.get(other_deviation.get_absolute_url()).status_code == status
    assert photo_status(client, other_deviation) == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=302, host=403, owner=302, partner=403, admin=302),
)
def test_acknowledge_own(client_as, role, status, own_deviation):
    url = reverse("properties:deviation-step", args=[own_deviation.pk])
    assert client_as(role).post(url, {"state": "acknowledged"}).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    by_role(**PAGE, chief=302, host=403, owner=404, partner=403, admin=302),
)
def test_acknowledge_other_departments(client_as, role, status, other_deviation):
    url = reverse("properties:deviation-step", args=[other_deviation.pk])
    assert client_as(role).post(url, {"state": "acknowledged"}).status_code == status
    other_deviation.refresh_from_db()
    assert (other_deviation.state == "acknowledged") is (role in ("chief", "admin"))


@pytest.mark.parametrize(("role", "narrows"), [("chief", True), ("owner", False), ("host", False)])
def test_only_those_who_see_every_department_may_narrow_a_list_to_one(persona, role, narrows):
    departments = department_filter_for(persona(role))

    assert (departments is not None) == narrows
    if narrows:
        assert set(departments) == set(Department.objects.all())
