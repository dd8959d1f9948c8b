"""Take the README screenshots: every page of the demo commune (and the office's Xã/phường
page) at a given window size, each after the window has settled.

Run under a virtual screen of the same size, for example:

    Xvfb :77 -screen 0 1366x768x24 -dpi 96 &
    DISPLAY=:77 python scripts/screenshots.py --size 1366x768 --out assets/screenshots

Each picture is taken with ImageMagick's ``import -window root`` (what a person would see).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 20)


def settle(root, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        root.update()
        time.sleep(0.02)


def shoot(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["import", "-window", "root", str(path)], check=True)


def commune(size: str, out: Path, pages: list[str] | None, suffix: str, lang: str) -> None:
    from papi_desktop.services import demo, setup
    from papi_desktop.services.context import AppContext
    from papi_desktop.ui.app import build_main_window

    folder = Path(tempfile.mkdtemp())
    ctx = AppContext(folder, today=TODAY, auto_backup=False)
    setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
    demo.mark_demo_folder(ctx)  # demo rows only ever go into a demo folder
    demo.generate(ctx, years=2)
    window = build_main_window(ctx, lang=lang)
    root = window.root
    root.geometry(f"{size}+0+0")
    settle(root)
    for spec in window.shell.specs:
        if pages and spec.key not in pages:
            continue
        window.shell.open_page(spec.key)
        settle(root, 1.5 if spec.key == "home" else 0.6)
        show_something(window, spec.key)
        settle(root)
        shoot(out / f"{spec.key}{suffix}.png")
    root.destroy()
    ctx.close()


def show_something(window, key: str) -> None:
    """Open an item the way a user would, so the page shows its editor filled in."""
    shell = window.shell
    page = shell.pages[key]
    if key == "tasks":
        home = shell.page("home")
        line = next((ln for ln in (home.data.overdue_tasks if home.data else [])), None)
        if line is not None:
            page.show_item(select=dict(line.select))
    elif key == "disclosures":
        rows = page.tree.get_children()
        if rows:
            page.select_item(rows[0])


def office(size: str, out: Path, pages: list[str] | None, suffix: str) -> None:
    from papi_desktop.services import district_demo
    from papi_desktop.services.context import AppContext
    from papi_desktop.ui.app import build_main_window

    folder = Path(tempfile.mkdtemp())
    district_demo.build_from_packages(
        folder / "office", folder / "work", communes=6, today=TODAY, submitted=2
    )
    ctx = AppContext(folder / "office", auto_backup=False, today=TODAY)
    window = build_main_window(ctx)
    root = window.root
    root.geometry(f"{size}+0+0")
    settle(root)
    for spec in window.shell.specs:
        if pages and spec.key not in pages:
            continue
        window.shell.open_page(spec.key)
        settle(root, 1.5 if spec.key == "home" else 0.6)
        shoot(out / f"office-{spec.key}{suffix}.png")
    root.destroy()
    ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--out", default="assets/screenshots")
    parser.add_argument("--role", choices=["commune", "office", "both"], default="both")
    parser.add_argument("--pages", nargs="*", help="page keys (default: all)")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--lang", default="vi")
    args = parser.parse_args()
    os.environ.setdefault("PAPI_DESKTOP_TODAY", TODAY.isoformat())
    out = Path(args.out)
    if args.role in ("commune", "both"):
        commune(args.size, out, args.pages, args.suffix, args.lang)
    if args.role in ("office", "both"):
        office(args.size, out, args.pages, args.suffix)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
