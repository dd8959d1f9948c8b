"""Where the app keeps its data: the database, attachments, backups and keys.

Order of precedence: ``--data-dir DIR``, then the ``PAPI_DESKTOP_DATA`` environment variable,
then a ``portable`` marker file next to the program (data beside it, for running from a USB
stick), then the platform's user data folder (platformdirs). The program folder itself is never
written to unless it is marked portable, so an uninstall or upgrade never touches user data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "PAPI_DESKTOP_DATA"
PORTABLE_MARKER = "portable"
DB_FILE = "papi.sqlite3"


def program_dir() -> Path:
    """The folder of the running program: the frozen executable's, or the source checkout's."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder to use (not created here)."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    prog = program_dir()
    if (prog / PORTABLE_MARKER).exists():
        return prog / "PAPI-data"
    import platformdirs

    return Path(platformdirs.user_data_dir("PAPI Desktop", "PAPI Desktop", roaming=False))


class DataPaths:
    """The files and folders inside one data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def database(self) -> Path:
        return self.root / DB_FILE

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def ensure(self) -> None:
        for p in (self.root, self.attachments, self.backups):
            p.mkdir(parents=True, exist_ok=True)
