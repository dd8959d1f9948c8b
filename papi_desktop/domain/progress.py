"""Progress of task results: done / (all − not applicable), overall or per group.

A result marked "na" (not applicable) leaves the denominator; a task counts as done
when its status is "done" and it is not "na".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass
class Progress:
    """Counts behind a progress figure."""

    done: int
    applicable: int
    total: int

    @property
    def ratio(self) -> float | None:
        """done / applicable, or None when nothing is applicable."""
        if self.applicable == 0:
            return None
        return self.done / self.applicable

    @property
    def percent_text(self) -> str:
        """Whole percent ("75%"), or "—" when nothing is applicable."""
        r = self.ratio
        if r is None:
            return "—"
        # Round half up, and never show 100% before everything is done.
        pct = int(r * 100 + 0.5)
        if pct == 100 and self.done < self.applicable:
            pct = 99
        return f"{pct}%"


def _count(p: Progress, status: str, result: str | None) -> None:
    p.total += 1
    if result == "na":
        return
    p.applicable += 1
    if status == "done":
        p.done += 1


def progress(items: Iterable[tuple[str, str | None]]) -> Progress:
    """Progress over (status, result) pairs."""
    p = Progress(0, 0, 0)
    for status, result in items:
        _count(p, status, result)
    return p


def progress_by(items: Iterable[tuple[K, str, str | None]]) -> dict[K, Progress]:
    """Progress per key (dimension, commune, period…) over (key, status, result) triples."""
    out: dict[K, Progress] = {}
    for key, status, result in items:
        p = out.get(key)
        if p is None:
            p = out[key] = Progress(0, 0, 0)
        _count(p, status, result)
    return out
