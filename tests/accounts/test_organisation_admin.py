"""The admin's side of the partner organisations: the organisations themselves, a user's
organisation beside their department, and a provider group's organisation."""

from django.forms import modelform_factory

from trygghet.accounts.models import ProviderGroup, User
from trygghet.accounts.roles import Role


def test_the_admin_lists_the_organisations_and_shows_a_users(client_as, persona):
    client = client_as("admin")
    assert (
        "Polisen, lokalpolisområde Syd"
        in client.get("/admin/accounts/organisation/").content.decode()
    )
    partner = persona("partner")
    page = client.get(f"/admin/accounts/user/{partner.pk}/change/").content.decode()
    assert 'name="organisation"' in page


def test_a_user_with_both_a_department_and_an_organisation_is_refused_in_words(
    persona, department, partner_organisation
):
    partner = persona("partner")
    form = modelform_factory(User, fields=["department", "organisation"])(
        {"department": department.pk, "organisation": partner_organisation.pk}, instance=partner
    )
    assert not form.is_valid()
    assert "En användare tillhör en förvaltning eller en samverkansorganisation, inte båda." in str(
        form.errors
    )


def test_a_provider_group_gives_a_department_or_an_organisation(
    db, department, partner_organisation
):
    Form = modelform_factory(ProviderGroup, fields=["name", "role", "department", "organisation"])
    both = Form(
        {
            "name": "est",
            "role": Role.PARTNER,
            "department": department.pk,
            "organisation": partner_organisation.pk,
        }
    )
    assert not both.is_valid()
    assert "En grupp ger en förvaltning eller en samverkansorganisation, inte båda." in str(
        both.errors
    )
    alone = Form({"name": "est-syd", "role": "", "organisation": partner_organisation.pk})
    assert alone.is_valid(), alone.errors
