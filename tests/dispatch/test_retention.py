from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.dispatch.factories import make_request
from trygghet.dispatch.models import DispatchRequest


def test_old_call_outs_lose_their_text_and_exact_place_but_keep_their_figures(persona):
    chief = persona("chief")
    old = make_request(
        by=chief, note="Mamma till en av ungdomarna ringde", place_text="Storgatan 3"
    )
    new = make_request(by=chief, note="Ny anteckning", place_text="Torget")
    DispatchRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(days=400), latitude=Decimal("59.612345")
    )
    out = StringIO()
    call_command("retention", stdout=out)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.note, old.place_text, old.latitude) == ("", "", Decimal("59.612000"))
    assert old.what and old.priority
    assert (new.note, new.place_text) == ("Ny anteckning", "Torget")
    assert "dispatch: cleared 1 call-out texts" in out.getvalue()
