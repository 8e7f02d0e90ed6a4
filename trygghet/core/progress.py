"""A dependency-free progress bar for long management commands."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T], *, total: int, label: str, out: IO[str] | None = None
) -> Iterator[T]:
    """Yield the items while drawing `label [#####.....] 50% 500/1000` on one terminal line."""
    out = out or sys.stdout
    interactive = out.isatty()
    width = 30
    last_drawn = 0.0
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if interactive and (now - last_drawn > 0.2 or done == total):
            last_drawn = now
            filled = int(width * done / total) if total else width
            percent = 100 * done // total if total else 100
            out.write(
                f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {done}/{total}"
            )
            out.flush()
    # Off a terminal (a log, CI) the bar is noise: the caller prints what was made.
    if interactive:
        out.write(f"\r{label}: {done} done{' ' * (width + 20)}\n")
        out.flush()
