"""Writing a finished document to disk: whole or not at all.

Every report and export goes through ``write_atomic``: the bytes go to ``NAME.part`` in the
target folder, are flushed to disk, then renamed over ``NAME``. On a full or read-only disk
the ``OSError`` goes up unchanged (the command line turns it into one plain line naming the
disk) and no ``.part`` file stays behind. Workbooks are saved to memory first, so a failing
disk never leaves an open ZIP writer to complain at exit.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary ``.part`` file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return path


def save_workbook(wb: Any, path: Path) -> Path:
    """Save an openpyxl workbook to ``path`` atomically."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(path, buffer.getvalue())
