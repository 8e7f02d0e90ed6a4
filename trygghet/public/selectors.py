from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

from incidents.models import NightButtonSettings
from incidents.selectors import night_button_window
from patrols.models import PhoneLine, Shift
from trygghet.public.models import PublicText
from trygghet.public.texts import DEFAULTS


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    body: str


def public_sections() -> dict[str, Section]:
    """Every section of the public page in the current language: the chief's text where there is
    one (English falls back to Swedish), else the translated default."""
    english = (get_language() or "sv").startswith("en")
    edited = {text.key: text for text in PublicText.objects.all()}
    sections = {}
    for key, (title, body) in DEFAULTS.items():
        text = edited.get(key)
        if text is None:
            sections[key] = Section(key, str(title), str(body))
        elif english and text.title_en and text.body_en:
            sections[key] = Section(key, text.title_en, text.body_en)
        else:
            sections[key] = Section(key, text.title_sv, text.body_sv)
    return sections


@dataclass(frozen=True)
class NightButtonStatus:
    open: bool
    closes_at: datetime | None
    opens_at: datetime | None
    start: datetime
    end: datetime


def night_button_status(now: datetime | None = None) -> NightButtonStatus:
    """Whether the night button is staffed now, from the server's clock in local time."""
    now = now or timezone.now()
    window = night_button_window()
    opening = window.opening_containing(now)
    if opening:
        return NightButtonStatus(True, opening[1], None, *opening)
    start, end = window.next_opening(now)
    return NightButtonStatus(False, None, start, start, end)


def night_button_lines():
    """The night-button numbers to call: all of them, or, when the chief chose so, only those of
    the cars on duty now. With no car on duty (by day) all are shown, so the page never lists
    none."""
    lines = PhoneLine.objects.filter(active=True, night_button=True).order_by("number")
    if not NightButtonSettings.current().lines_on_duty_only:
        return lines
    on_duty = lines.filter(pk__in=Shift.objects.active().values("phone_line"))
    return on_duty if on_duty.exists() else lines
