"""A partner organisation with an area it reports in, and the partner persona as its member."""

from datetime import timedelta

import pytest

from tests.accounts.factories import OrganisationFactory
from tests.partners.factories import WEEK_47
from tests.patrols.factories import AreaFactory, square


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Bostadsbolaget", all_areas=False)


@pytest.fixture
def area(organisation):
    """Centrum, which the organisation reports in, around 59.60 N 16.53 E."""
    area = AreaFactory(name="Centrum", boundary=square(16.53, 59.60, 0.02))
    area.organisations.add(organisation)
    return area


@pytest.fixture
def other_area(db):
    """An area the organisation does not report in."""
    return AreaFactory(name="Hamnen", boundary=square(16.60, 59.60, 0.02))


@pytest.fixture
def partner(persona, organisation):
    user = persona("partner")
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    return user


@pytest.fixture
def friday():
    return WEEK_47 + timedelta(days=4)
