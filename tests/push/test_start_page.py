"""The switch on the host's start page: in the call-out panel of a running shift, only while
push is on."""

import pytest
from django.urls import reverse

from tests.patrols.factories import make_shift

pytestmark = pytest.mark.django_db


def start_page(client_as) -> str:
    return client_as("host").get(reverse("start")).content.decode()


def test_a_host_on_a_running_shift_gets_the_switch(client_as, persona, vapid):
    make_shift(hosts=[persona("host")], active=True)

    page = start_page(client_as)

    assert f'data-key="{vapid}"' in page
    assert 'action="/push/subscribe/"' in page
    assert "Larma den här telefonen vid utryckningar" in page


def test_no_switch_without_a_running_shift(client_as, vapid):
    assert "data-push" not in start_page(client_as)


def test_no_switch_while_push_is_off(client_as, persona):
    make_shift(hosts=[persona("host")], active=True)

    assert "data-push" not in start_page(client_as)
