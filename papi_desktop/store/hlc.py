"""Hybrid logical clock: row versions that compare correctly as plain text.

A version is ``"<ms:013d>-<counter:04d>-<site>"``. Every local write takes a new version that
is greater than every version this site has issued or seen, even when the PC clock is wrong
or goes backwards (DESIGN §5).
"""

from __future__ import annotations

from collections.abc import Callable

from papi_desktop.clock import Clock

CATALOG_SITE = "catalog"
# Rows loaded from the shipped catalogues carry the smallest possible version, so any real
# edit on any site wins over them.
CATALOG_VERSION = f"{0:013d}-{0:04d}-{CATALOG_SITE}"

MAX_COUNTER = 9999


def parse_version(version: str) -> tuple[int, int, str]:
    """Split a version into (milliseconds, counter, site); ValueError when malformed."""
    ms, counter, site = version.split("-", 2)
    if len(ms) != 13 or len(counter) != 4 or not site:
        raise ValueError(f"bad version {version!r}")
    return int(ms), int(counter), site


def format_version(ms: int, counter: int, site: str) -> str:
    return f"{ms:013d}-{counter:04d}-{site}"


class HybridClock:
    """Issues monotonically increasing versions for one site."""

    def __init__(
        self, site_id: str, last: str | None = None, now_ms: Callable[[], int] | None = None
    ) -> None:
        self.site_id = site_id
        self._now_ms = now_ms or Clock().now_ms
        self._ms = 0
        self._counter = 0
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        return format_version(self._ms, self._counter, self.site_id)

    def tick(self) -> str:
        """A new version, greater than anything issued or observed before."""
        now = self._now_ms()
        if now > self._ms:
            self._ms, self._counter = now, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:
            self._ms, self._counter = self._ms + 1, 0
        return self.last

    def observe(self, version: str) -> None:
        """Move forward past a version seen from elsewhere (never backwards)."""
        ms, counter, _site = parse_version(version)
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter

    def is_far_ahead(self, version: str, tolerance_ms: int = 24 * 3600 * 1000) -> bool:
        """True when a version claims a time well ahead of this PC's clock."""
        ms, _c, _s = parse_version(version)
        return ms > self._now_ms() + tolerance_ms
