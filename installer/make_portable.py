"""Zip the PyInstaller one-dir build as a portable copy that keeps its data beside itself.

The zip holds one folder, ``PAPI-Desktop-<version>/``, with the program (``papi-desktop.exe``
and ``_internal/``) and a ``portable`` marker file. When the marker is next to the program,
``papi_desktop.config.resolve_data_dir`` uses ``PAPI-data/`` in that folder instead of the
user's data folder, so the whole thing runs from a USB stick and takes its data along.
Run after PyInstaller, from the repository root:

    python installer/make_portable.py            # dist/papi-desktop -> dist/PAPI-Desktop-<v>-portable-<plat>.zip
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from papi_desktop import __version__  # noqa: E402
from papi_desktop.config import PORTABLE_MARKER  # noqa: E402

DATA_FOLDER = "PAPI-data"  # must match papi_desktop.config.resolve_data_dir

MARKER_TEXT = """\
PAPI Desktop — bản chạy trực tiếp (portable)

Tệp này báo cho chương trình lưu dữ liệu vào thư mục PAPI-data ngay bên cạnh, không lưu vào
máy tính. Sao chép cả thư mục này (kể cả PAPI-data) sang USB là mang theo toàn bộ dữ liệu.
Đừng xoá tệp này nếu muốn tiếp tục dùng dữ liệu trong PAPI-data.

This file makes the program keep its data in the PAPI-data folder next to it, not on the
computer. Copy this whole folder (including PAPI-data) to take all the data along.
Do not delete this file if you want to keep using the data in PAPI-data.
"""


def platform_tag() -> str:
    if sys.platform == "win32":
        return "win64" if sys.maxsize > 2**32 else "win32"
    return sys.platform


def program_name(build: Path) -> str:
    for name in ("papi-desktop.exe", "papi-desktop"):
        if (build / name).is_file():
            return name
    raise SystemExit(f"make_portable: no papi-desktop program in {build}; run PyInstaller first")


def make_portable(build: Path, out: Path, folder: str) -> Path:
    """Write the portable zip; return its path. Never packs a data folder found in ``build``."""
    build = build.resolve()
    exe = program_name(build)
    if not (build / "_internal").is_dir():
        raise SystemExit(f"make_portable: {build} is not a one-dir build (no _internal folder)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    skipped: list[str] = []
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in sorted(build.rglob("*")):
            rel = path.relative_to(build)
            if rel.parts[0] in (DATA_FOLDER, PORTABLE_MARKER):
                # Someone ran the build in portable mode: their data must not ship.
                skipped.append(rel.as_posix())
                continue
            if path.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(path, f"{folder}/{rel.as_posix()}")
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as src, z.open(info, "w") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        marker = zipfile.ZipInfo(f"{folder}/{PORTABLE_MARKER}", date_time=(2026, 1, 1, 0, 0, 0))
        marker.compress_type = zipfile.ZIP_DEFLATED
        marker.external_attr = 0o644 << 16
        z.writestr(marker, MARKER_TEXT.replace("\n", "\r\n").encode("utf-8"))
    os.replace(tmp, out)
    if skipped:
        print(f"left out (not part of the program): {', '.join(sorted(set(skipped)))[:300]}")
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
    for required in (f"{folder}/{exe}", f"{folder}/{PORTABLE_MARKER}"):
        if required not in names:
            raise SystemExit(f"make_portable: {required} is missing from {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zip the one-dir build as a portable copy.")
    parser.add_argument("--build", type=Path, default=ROOT / "dist" / "papi-desktop")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = f"PAPI-Desktop-{__version__}"
    out = args.out or ROOT / "dist" / f"{folder}-portable-{platform_tag()}.zip"
    path = make_portable(args.build, out, folder)
    print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
