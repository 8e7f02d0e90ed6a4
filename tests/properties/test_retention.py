import os
from datetime import timedelta
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from properties.models import Deviation, DeviationPhoto, DeviationStep
from trygghet.core.follow_up import CLEARED_NOTE


def test_photo_files_of_deviations_never_saved_go_after_a_day(db):
    left = default_storage.save("deviations/2026/10/left.jpg", ContentFile(b"x"))
    fresh = default_storage.save("deviations/2026/11/fresh.jpg", ContentFile(b"x"))
    # The kernel stamps new files with the machine's real clock, which a test run under faketime
    # does not move; both files' ages are set here from the clock the retention run reads.
    now = timezone.now().timestamp()
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(left), (two_days_ago, two_days_ago))
    os.utime(default_storage.path(fresh), (now, now))
    out = StringIO()
    call_command("retention", stdout=out)
    assert "properties: cleared 1 photo files of deviations never saved" in out.getvalue()
    assert not default_storage.exists(left)
    assert default_storage.exists(fresh)


def test_old_deviations_lose_their_text_and_photos_but_stay(
    own_deviation, other_deviation, finder, settings
):
    settings.RETENTION_DEVIATION_DAYS = 100
    old, new, host = own_deviation, other_deviation, finder
    Deviation.objects.filter(pk=old.pk).update(
        found_at=timezone.now() - timedelta(days=101),
        description="PERSONUPPGIFT dörr",
        action_note="PERSONUPPGIFT ringde",
    )
    Deviation.objects.filter(pk=new.pk).update(description="PERSONUPPGIFT ny")
    DeviationStep.objects.create(
        deviation=old, from_state="open", state="acknowledged", by=host, note="Namn"
    )
    photo = old.photos.get()
    new.photos.all().delete()
    out = StringIO()

    call_command("retention", stdout=out)

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.description, old.action_note) == ("", "")
    assert not old.steps.exclude(note="").exists()
    assert not DeviationPhoto.objects.exists()
    assert not default_storage.exists(photo.image.name)
    assert new.description == "PERSONUPPGIFT ny"
    assert "properties: cleared 1 deviation texts" in out.getvalue()


def test_a_resolved_steps_note_is_cleared_to_a_dash_the_database_accepts(
    own_deviation, finder, settings
):
    settings.RETENTION_DEVIATION_DAYS = 100
    Deviation.objects.filter(pk=own_deviation.pk).update(
        found_at=timezone.now() - timedelta(days=101)
    )
    for from_state, state in (("open", "acknowledged"), ("acknowledged", "resolved")):
        DeviationStep.objects.create(
            deviation=own_deviation, from_state=from_state, state=state, by=finder, note="Namn"
        )

    assert "cleared 2 deviation step notes" in run_retention_command()
    assert "cleared 0 deviation step notes" in run_retention_command()

    notes = own_deviation.steps.exclude(from_state="").order_by("at", "id")
    assert list(notes.values_list("note", flat=True)) == ["", CLEARED_NOTE]


def run_retention_command() -> str:
    out = StringIO()
    call_command("retention", stdout=out)
    return out.getvalue()
