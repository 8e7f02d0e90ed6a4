from datetime import date

import factory
from django.contrib.auth.models import Group
from django.db.backends.postgresql.psycopg_any import DateRange
from factory.django import DjangoModelFactory

from incidents.models import CategoryGroup
from trygghet.accounts.models import Department, Organisation, OrganisationKind, User
from trygghet.accounts.roles import GROUP_NAMES

PASSWORD = "ett-testlösenord-2026"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    contact_email = factory.LazyAttribute(lambda d: f"dept{d.name.split()[-1]}@example.se")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    """A partner organisation that sees every area, group and night unless told otherwise."""

    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Bostadsbolag {n}")
    kind = OrganisationKind.HOUSING_COMPANY
    contact_email = factory.Sequence(lambda n: f"est{n}@bostad.example.se")
    all_areas = True


# The partner persona's organisation: limited on every side. It sees the areas tests make
# (AreaFactory adds them unless told `partner_scope=False`), every category group but violence,
# and the nights of 2020 to 2029.
PARTNER_ORGANISATION = "Polisen, lokalpolisområde Syd"
PARTNER_GROUPS = sorted(group for group in CategoryGroup.values if group != CategoryGroup.VIOLENCE)
PARTNER_AGREEMENT = DateRange(date(2020, 1, 1), date(2030, 1, 1))


def partner_organisation() -> Organisation:
    return OrganisationFactory.create(
        name=PARTNER_ORGANISATION,
        kind=OrganisationKind.POLICE,
        all_areas=False,
        category_groups=PARTNER_GROUPS,
        agreement=PARTNER_AGREEMENT,
    )


class UserFactory(DjangoModelFactory[User]):
    """UserFactory(roles=[Role.HOST]) makes a host; the groups come from the data migration."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        for role in extracted or ():
            user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
