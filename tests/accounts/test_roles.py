import pytest
from django.contrib.auth.models import Group

from trygghet.accounts.models import User
from trygghet.accounts.policy import Capability
from trygghet.accounts.roles import GROUP_NAMES, ROLE_CAPABILITIES


def test_each_capability_is_a_permission_of_the_user_model():
    assert [codename for codename, _label in User._meta.permissions] == [
        capability.codename for capability in Capability
    ]
    assert all(capability.value == f"accounts.{capability.codename}" for capability in Capability)


@pytest.mark.parametrize("role", list(ROLE_CAPABILITIES))
def test_each_role_group_holds_exactly_its_capabilities(db, role):
    group = Group.objects.get(name=GROUP_NAMES[role])

    assert set(group.permissions.values_list("codename", flat=True)) == {
        capability.codename for capability in ROLE_CAPABILITIES[role]
    }
