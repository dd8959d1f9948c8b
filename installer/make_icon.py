"""Draw the PAPI Desktop app icon with Pillow: a PNG set and a multi-size Windows .ico.

The design is a blue rounded square holding a white sheet with three ruled lines and a
green tick (a checklist), drawn once at 1024 px and scaled down per size so every size is
sharp enough. Run from the repository root: ``python installer/make_icon.py``; it writes
``assets/icon/papi-desktop-<size>.png`` and ``assets/icon/papi-desktop.ico``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
MASTER = 1024

BLUE = (21, 101, 192, 255)
BLUE_DARK = (13, 71, 161, 255)
WHITE = (255, 255, 255, 255)
LINE = (144, 164, 174, 255)
GREEN = (46, 125, 50, 255)


def draw_master(size: int = MASTER):
    """The icon at ``size`` px (RGBA, transparent corners)."""
    from PIL import Image, ImageDraw

    s = size / 1024
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    # Background tile with a darker lower band for depth.
    d.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=180 * s, fill=BLUE_DARK)
    d.rounded_rectangle((40 * s, 40 * s, 984 * s, 930 * s), radius=180 * s, fill=BLUE)
    # The sheet.
    d.rounded_rectangle((250 * s, 170 * s, 774 * s, 860 * s), radius=48 * s, fill=WHITE)
    # Ruled lines (short on the left where the tick sits).
    for y in (330, 460, 590):
        d.rounded_rectangle((330 * s, y * s, 694 * s, (y + 44) * s), radius=22 * s, fill=LINE)
    # The tick, drawn as a thick polyline with round joints.
    width = round(92 * s)
    points = [(390 * s, 690 * s), (500 * s, 790 * s), (720 * s, 560 * s)]
    d.line(points, fill=GREEN, width=width, joint="curve")
    r = width / 2
    for x, y in (points[0], points[-1]):
        d.ellipse((x - r, y - r, x + r, y + r), fill=GREEN)
    return img


def write_icons(out_dir: Path) -> list[Path]:
    """Write the PNG set and the .ico into ``out_dir``; return the written paths."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    master = draw_master()
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out_dir / f"papi-desktop-{size}.png"
        master.resize((size, size), Image.Resampling.LANCZOS).save(path, optimize=True)
        written.append(path)
    ico = out_dir / "papi-desktop.ico"
    master.resize((256, 256), Image.Resampling.LANCZOS).save(
        ico, format="ICO", sizes=[(n, n) for n in ICO_SIZES]
    )
    written.append(ico)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--out", type=Path, default=root / "assets" / "icon")
    args = parser.parse_args(argv)
    for path in write_icons(args.out):
        print(f"{path}  {path.stat().st_size:,} B")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
