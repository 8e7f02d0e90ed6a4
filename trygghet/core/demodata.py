"""The demo municipality. `manage.py demo_data` calls the step each installed app names in its
AppConfig's `demo_data` (the dotted path of a function taking the DemoContext), in
INSTALLED_APPS order, so each app makes its own believable data and later apps can use what
earlier ones made. Each step must be safe to run again."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TypeVar

from django.conf import settings
from django.utils import timezone

from trygghet.core.progress import progress

T = TypeVar("T")

DEFAULT_PASSWORD = "trygghet-demo"


@dataclass
class DemoContext:
    out: IO[str]
    incidents: int = 20_000
    seed: int = 2026
    now: datetime = field(default_factory=timezone.now)
    rng: random.Random = field(init=False)
    # Lines printed after everything is built, such as the demo logins.
    closing: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def password(self) -> str:
        return getattr(settings, "DEMO_PASSWORD", "") or DEFAULT_PASSWORD

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def progress(self, items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
        return progress(items, total=total, label=label, out=self.out)
