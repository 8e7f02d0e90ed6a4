"""Every role against every page of the app, with own and another department's objects."""

import uuid

import pytest
from django.urls import reverse

from properties.models import PropertyCheck
from properties.permissions import department_filter_for
from tests.access import DONE, LOGIN, assert_answer, by_role
from tests.patrols.factories import make_shift
from trygghet.accounts.models import Department

PAGE = dict(anonymous=LOGIN, report_client=LOGIN)


def get_photo(client, deviation):
    response = client.get(deviation.photos.get().get_absolute_url())
    response.close()  # a served photo is a file response; close the file
    return response


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=403, host=200, owner=403, dpo=403, partner=403, admin=200),
)
def test_round(client_as, role, expected):
    assert_answer(client_as(role).get(reverse("properties:round")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=403, host=200, owner=403, dpo=403, partner=403, admin=200),
)
def test_check_page(client_as, role, expected, other_building):
    url = reverse("properties:property-check", args=[other_building.pk])
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=403, host=DONE, owner=403, dpo=403, partner=403, admin=400),
)
def test_posting_a_check(client_as, persona, role, expected, other_building):
    make_shift(hosts=[persona("host")], active=True)
    url = reverse("properties:property-check", args=[other_building.pk])
    response = client_as(role).post(url, {"all_ok": "1", "client_key": uuid.uuid4()})
    assert_answer(response, expected, done=reverse("properties:round"))
    assert list(PropertyCheck.objects.values_list("property", "ok")) == (
        [(other_building.pk, True)] if expected == DONE else []
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=200, dpo=403, partner=403, admin=200),
)
def test_register(client_as, role, expected, own_building):
    assert_answer(client_as(role).get(reverse("properties:property-list")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=200, dpo=403, partner=403, admin=200),
)
def test_own_property_detail(client_as, role, expected, own_building):
    assert_answer(client_as(role).get(own_building.get_absolute_url()), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=404, dpo=403, partner=403, admin=200),
)
def test_other_departments_property_detail(client_as, role, expected, other_building):
    assert_answer(client_as(role).get(other_building.get_absolute_url()), expected)


@pytest.mark.parametrize("name", ["property-create", "property-import", "property-import-template"])
@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=403, dpo=403, partner=403, admin=200),
)
def test_register_management(client_as, role, expected, name):
    assert_answer(client_as(role).get(reverse(f"properties:{name}")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=403, dpo=403, partner=403, admin=200),
)
def test_edit(client_as, role, expected, own_building):
    url = reverse("properties:property-edit", args=[own_building.pk])
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=403, dpo=403, partner=403, admin=200),
)
def test_figures(client_as, role, expected):
    assert_answer(client_as(role).get(reverse("properties:figures")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=200, dpo=403, partner=403, admin=200),
)
def test_deviation_list(client_as, role, expected, own_deviation):
    assert_answer(client_as(role).get(reverse("properties:deviation-list")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=200, dpo=403, partner=403, admin=200),
)
def test_own_deviation_and_photo(client_as, role, expected, own_deviation):
    client = client_as(role)
    assert_answer(client.get(own_deviation.get_absolute_url()), expected)
    assert_answer(get_photo(client, own_deviation), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=200, host=403, owner=404, dpo=403, partner=403, admin=200),
)
def test_other_departments_deviation_and_photo(client_as, role, expected, other_deviation):
    client = client_as(role)
    assert_answer(client.get(other_deviation.get_absolute_url()), expected)
    assert_answer(get_photo(client, other_deviation), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=DONE, host=403, owner=DONE, dpo=403, partner=403, admin=DONE),
)
def test_acknowledge_own(client_as, role, expected, own_deviation):
    url = reverse("properties:deviation-step", args=[own_deviation.pk])
    response = client_as(role).post(url, {"state": "acknowledged"})
    assert_answer(response, expected, done=own_deviation.get_absolute_url())
    own_deviation.refresh_from_db()
    assert (own_deviation.state == "acknowledged") is (expected == DONE)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**PAGE, chief=DONE, host=403, owner=404, dpo=403, partner=403, admin=DONE),
)
def test_acknowledge_other_departments(client_as, role, expected, other_deviation):
    url = reverse("properties:deviation-step", args=[other_deviation.pk])
    response = client_as(role).post(url, {"state": "acknowledged"})
    assert_answer(response, expected, done=other_deviation.get_absolute_url())
    other_deviation.refresh_from_db()
    assert (other_deviation.state == "acknowledged") is (expected == DONE)


@pytest.mark.parametrize(("role", "narrows"), [("chief", True), ("owner", False), ("host", False)])
def test_only_those_who_see_every_department_may_narrow_a_list_to_one(persona, role, narrows):
    departments = department_filter_for(persona(role))

    assert (departments is not None) == narrows
    if narrows:
        assert set(departments) == set(Department.objects.all())
