from trygghet.public.models import PublicText
from trygghet.public.services import public_text_reset, public_text_save


def test_save_writes_the_section_and_who_wrote_it_then_changes_it(persona):
    chief = persona("chief")
    public_text_save(key="intro", by=chief, title_sv="Hej", body_sv="Vi finns här.")
    public_text_save(key="intro", by=chief, title_sv="Hej igen", body_sv="Vi finns här.")

    text = PublicText.objects.get()
    assert (text.key, text.title_sv, text.updated_by) == ("intro", "Hej igen", chief)


def test_reset_removes_the_own_wording(persona):
    public_text_save(key="intro", by=persona("chief"), title_sv="Hej", body_sv="Text.")

    public_text_reset(key="intro")

    assert not PublicText.objects.exists()
