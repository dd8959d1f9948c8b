"""The one clock: every date and timestamp the app reads comes from here.

An ``AppContext`` owns one ``Clock`` and hands the same object to its ``Database``. Rows,
audit lines, package manifests, backup names and row versions all take their time from it,
so a pinned day (``PAPI_DESKTOP_TODAY``, or ``today=`` in tests, demos and training) moves
every stamp together: a package written "today" is never older or newer than the day the
checks compare it with.

A pinned day keeps the real time of day, so stamps still advance within a run and names
made a second apart still differ.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

TODAY_ENV = "PAPI_DESKTOP_TODAY"


def _pinned_from_env() -> date | None:
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return None
    from papi_desktop.domain.dates import parse_date

    return parse_date(value)


class Clock:
    """Today and now, pinned to a given day or read from the PC."""

    def __init__(self, pinned: date | None = None, *, use_env: bool = True) -> None:
        self._pinned = pinned
        self._use_env = use_env

    # -- pinning --------------------------------------------------------
    @property
    def pinned(self) -> date | None:
        """The pinned day (explicit, else from the environment), or None for the PC's date."""
        if self._pinned is not None:
            return self._pinned
        return _pinned_from_env() if self._use_env else None

    def pin(self, day: date | None) -> None:
        """Pin the clock to ``day`` (None: back to the environment or the PC's date)."""
        self._pinned = day

    # -- reading --------------------------------------------------------
    def local_now(self) -> datetime:
        """Local wall time, naive (for file names and what a person reads)."""
        real = datetime.fromtimestamp(time.time())
        day = self.pinned
        if day is None:
            return real
        return datetime.combine(day, real.time())

    def now(self) -> datetime:
        """Now as an aware UTC datetime, on the pinned day when there is one."""
        local = self.local_now()
        offset = datetime.fromtimestamp(time.time()) - datetime.fromtimestamp(
            time.time(), UTC
        ).replace(tzinfo=None)
        # Round the offset to whole minutes: the two reads above are microseconds apart.
        minutes = round(offset.total_seconds() / 60)
        return (local - timedelta(minutes=minutes)).replace(tzinfo=UTC)

    def now_iso(self) -> str:
        """Now in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (the format of every stored stamp)."""
        return self.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def now_ms(self) -> int:
        """Milliseconds since the epoch (for hybrid-logical-clock row versions)."""
        return int(self.now().timestamp() * 1000)

    def today(self) -> date:
        """The local date."""
        return self.local_now().date()


def system_clock() -> Clock:
    """A clock that follows the environment pin or the PC (for code with no open context)."""
    return Clock()
