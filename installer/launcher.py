"""The script PyInstaller freezes into ``papi-desktop.exe``: it only calls the normal CLI.

A windowed (no console) Windows build starts with ``sys.stdout`` and ``sys.stderr`` set to
``None``; code that writes to them (or asks for their encoding) would then crash before the
window opens, so they are pointed at the null device first. ``--smoke-test`` also writes its
report to a file in OUTDIR for that reason.
"""

from __future__ import annotations

import os
import sys


def _ensure_streams() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main() -> int:
    _ensure_streams()
    from papi_desktop.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
