"""Errors that carry a message for the user, in Vietnamese and English.

A ``UserError`` is bad input: the command line exits 2 with its one-line message and
nothing has been written. Anything else is a failure (exit 1).
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user; ``message_vi`` / ``message_en`` say what is wrong and what to do."""

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class StorageError(Exception):
    """The database or data folder cannot be used (read-only, full disk, corrupt file).

    ``kind`` is one of "corrupt", "missing", "readonly", "full", "locked", "other".
    """

    def __init__(self, message_vi: str, message_en: str | None = None, kind: str = "other") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.kind = kind

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi
