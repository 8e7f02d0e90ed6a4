import os
from datetime import timedelta
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from properties.models import Deviation, DeviationPhoto, DeviationStep


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
