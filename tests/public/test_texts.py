import pytest

from tests.access import DONE, LOGIN, assert_answer, by_role
from trygghet.public.models import PublicText


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=200,
        host=403,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=200,
    ),
)
@pytest.mark.parametrize("url", ["/public/texts/", "/public/texts/intro/"])
def test_text_pages_access(client_as, role, expected, url):
    assert_answer(client_as(role).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=LOGIN,
        chief=DONE,
        host=403,
        owner=403,
        dpo=403,
        partner=403,
        report_client=LOGIN,
        admin=DONE,
    ),
)
def test_reset_access(client_as, role, expected):
    PublicText.objects.create(key="intro", title_sv="Egen rubrik", body_sv="Egen text")
    response = client_as(role).post("/public/texts/intro/reset/")
    assert_answer(response, expected, done="/public/texts/")
    assert PublicText.objects.filter(key="intro").exists() is (expected != DONE)


def test_unknown_section_is_404(client_as):
    assert client_as("chief").get("/public/texts/nope/").status_code == 404


def test_chief_replaces_a_text_and_the_page_shows_it(client_as):
    chief = client_as("chief")
    response = chief.post(
        "/public/texts/intro/",
        {
            "title_sv": "Trygghetsvärdarna i Kommunen",
            "body_sv": "Vi finns här.\n\nRing oss.",
            "title_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 302
    page = client_as("anonymous").get("/").content.decode()
    assert "Trygghetsvärdarna i Kommunen" in page
    assert "<p>Vi finns här.</p>" in page
    assert PublicText.objects.get(key="intro").updated_by.username == "chef"


def test_english_falls_back_to_swedish_until_translated(client_as, client):
    PublicText.objects.create(key="intro", title_sv="Svensk rubrik", body_sv="Svensk text")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Svensk rubrik" in client.get("/").content.decode()


def test_text_is_escaped(client_as):
    client_as("chief").post(
        "/public/texts/intro/",
        {
            "title_sv": "Rubrik",
            "body_sv": "<script>alert(1)</script>",
            "title_en": "",
            "body_en": "",
        },
    )
    page = client_as("anonymous").get("/").content.decode()
    assert "<script>alert(1)</script>" not in page


def test_empty_text_is_refused(client_as):
    response = client_as("chief").post(
        "/public/texts/intro/", {"title_sv": "", "body_sv": "", "title_en": "", "body_en": ""}
    )
    assert response.status_code == 200
    assert not PublicText.objects.exists()


def test_reset_shows_the_default_again(client_as):
    PublicText.objects.create(key="intro", title_sv="Egen rubrik", body_sv="Egen text")
    client_as("chief").post("/public/texts/intro/reset/")
    assert "Kommunens trygghetsvärdar" in client_as("anonymous").get("/").content.decode()
