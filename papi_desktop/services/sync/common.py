"""Shared pieces of the USB sync use cases: progress and cancellation, settings keys, the
per-package report, unit names."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext

Progress = Callable[[float, str], None]
log = logging.getLogger("papi_desktop.services.sync")
SILENCE_DAYS = 35
SETTING_SEQ = "sync.out_seq"
SETTING_UNITS = "sync.accepted_units"


class Cancelled(UserError):
    """The user pressed Cancel; nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            "Đã dừng theo yêu cầu; không có gì thay đổi.",
            "Stopped on request; nothing was changed.",
        )


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def _report(progress: Progress | None, fraction: float, label: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), label)


@dataclass
class PackageReport:
    """The outcome for one package file (also the dry-run summary shown before applying)."""

    file: str
    status: str  # applied / already_imported / refused / skipped / dry_run
    package_id: str = ""
    sender: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    created_at: str = ""
    reason: str = ""  # the refusal's code (damaged, signature, receiver, unknown_sender…)
    detail: str = ""  # technical detail for the log and scripts; never shown in the window
    message_vi: str = ""
    message_en: str = ""
    needs_trust: bool = False
    fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["from"] = d.pop("sender")
        return d


def _unit_label(ctx: AppContext, code: str | None) -> str:
    """A commune's or province's name from its code ("" when unknown)."""
    if not code:
        return ""
    from papi_desktop.services import units

    found = units.commune(ctx, code) or units.province(ctx, code)
    return found["name"] if found else ""


def _mkdir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p
