"""The serif font family every PDF uses: Times New Roman where installed, else Liberation
Serif, else DejaVu Serif.

Decree 30 asks for Times New Roman. Windows has it in ``c:/windows/fonts``; some Linux
machines have the ``ttf-mscorefonts`` files. Without it, Liberation Serif (Debian's
fonts-liberation / fonts-liberation2) is used when all four faces cover every Vietnamese
letter: it has the same metrics as Times New Roman, so lines and pages break as they would
in Word. The last fallback is the DejaVu Serif that matplotlib ships: it covers every
Vietnamese letter but not "₫", so the documents then write "đồng". The fonts are
TrueType, so reportlab always embeds them (subset).

``register_fonts()`` is idempotent and also points ``rl_config.canvas_basefontname`` and
platypus' default table-cell and paragraph fonts at the family, so no page carries
reportlab's default, non-embedded Helvetica (whatever was imported first).
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass
from pathlib import Path

FAMILY = "PapiSerif"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_TIMES_FILES = ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")
_TIMES_LINUX = (
    "Times_New_Roman.ttf",
    "Times_New_Roman_Bold.ttf",
    "Times_New_Roman_Italic.ttf",
    "Times_New_Roman_Bold_Italic.ttf",
)
_LIBERATION_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)
_LIBERATION_GLOBS = (
    "/usr/share/fonts/truetype/liberation*/",
    "/usr/share/fonts/liberation*/",
    "/usr/local/share/fonts/**/",
)
_DEJAVU_FILES = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
)

_lock = threading.Lock()
_registered: FontFamily | None = None


@dataclass(frozen=True)
class FontFamily:
    """Which files the family was registered from; ``source`` is "times", "liberation" or
    "dejavu"."""

    source: str
    files: tuple[Path, Path, Path, Path]
    has_dong_sign: bool


def _find_in(folder: Path, names: tuple[str, ...]) -> tuple[Path, ...] | None:
    """The four faces in ``folder`` (file names compared case-insensitively), or None."""
    if not folder.is_dir():
        return None
    by_lower = {p.name.lower(): p for p in folder.iterdir()}
    found = tuple(by_lower.get(n.lower()) for n in names)
    return found if all(found) else None  # type: ignore[return-value]


def _times_candidates() -> list[tuple[Path, ...]]:
    found: list[tuple[Path, ...]] = []
    windir = Path(os.environ.get("WINDIR", "c:/windows")) / "Fonts"
    for folder in (windir, Path("c:/windows/fonts")):
        hit = _find_in(folder, _TIMES_FILES)
        if hit:
            found.append(hit)
    folders = {
        Path(p).parent
        for p in glob.glob("/usr/share/fonts/**/Times_New_Roman*.ttf", recursive=True)
    }
    folders |= {
        Path(p).parent
        for p in glob.glob("/usr/share/fonts/**/times.ttf", recursive=True)
        + glob.glob("/usr/share/fonts/**/Times.ttf", recursive=True)
    }
    for folder in sorted(folders):
        for names in (_TIMES_LINUX, _TIMES_FILES):
            hit = _find_in(folder, names)
            if hit:
                found.append(hit)
    return found


def vietnamese_letters() -> str:
    """Every letter of Vietnamese, lower and upper case, precomposed (NFC): the 12 base
    vowels with each of the five tone marks, plus the plain letters with diacritics."""
    import unicodedata

    vowels = "aăâeêioôơuưy"
    out = set(vowels + vowels.upper() + "đĐ")
    for v in vowels + vowels.upper():
        for mark in "\u0300\u0301\u0303\u0309\u0323":
            out.add(unicodedata.normalize("NFC", v + mark))
    return "".join(sorted(out))


def missing_letters(file: Path) -> str:
    """The Vietnamese letters ``file`` has no glyph for ("" when it covers them all; every
    letter when the file cannot be read)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    letters = vietnamese_letters()
    try:
        cmap = TTFontFile(str(file)).charToGlyph
    except Exception:
        return letters
    return "".join(c for c in letters if ord(c) not in cmap)


def _liberation_candidates() -> list[tuple[Path, ...]]:
    """Liberation Serif families whose four faces all cover Vietnamese."""
    folders = sorted(
        {
            Path(p).parent
            for pattern in _LIBERATION_GLOBS
            for p in glob.glob(pattern + "LiberationSerif-Regular.ttf", recursive=True)
        }
    )
    found = []
    for folder in folders:
        hit = _find_in(folder, _LIBERATION_FILES)
        if hit and not any(missing_letters(f) for f in hit):
            found.append(hit)
    return found


def _dejavu_files() -> tuple[Path, ...]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = tuple(folder / n for n in _DEJAVU_FILES)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError("DejaVu Serif font files missing: " + ", ".join(missing))
    return files


def register_fonts(prefer_times: bool = True) -> FontFamily:
    """Register the family once per process and return what was used.

    Order: Times New Roman, then Liberation Serif (only if it covers Vietnamese), then
    DejaVu Serif. ``prefer_times=False`` forces DejaVu Serif (tests use it to check the
    last fallback); it only has an effect on the first call in a process.
    """
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        from reportlab import rl_config
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        family: FontFamily | None = None
        candidates = (
            [("times", f) for f in _times_candidates()]
            + [("liberation", f) for f in _liberation_candidates()]
            if prefer_times
            else []
        )
        for source, files in candidates:
            try:
                _register_faces(files, pdfmetrics, TTFont)
            except Exception:  # a damaged or unreadable font file: try the next one
                continue
            family = FontFamily(source, files, _has_glyph(files[0], "₫"))  # type: ignore[arg-type]
            break
        if family is None:
            files = _dejavu_files()
            _register_faces(files, pdfmetrics, TTFont)
            family = FontFamily("dejavu", files, False)  # type: ignore[arg-type]
        pdfmetrics.registerFontFamily(
            FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        rl_config.canvas_basefontname = FAMILY
        _default_platypus_fonts()
        _registered = family
        return family


def _default_platypus_fonts() -> None:
    """Point platypus' own defaults at the family too. They are read from ``rl_config`` when
    reportlab's modules are first imported, so a caller that imported ``reportlab.platypus``
    before the first ``register_fonts()`` got Helvetica as the font of every table cell
    (set even on cells holding paragraphs): an unembedded font in the PDF."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.tables import CellStyle

    CellStyle.fontname = FAMILY
    ParagraphStyle.defaults["fontName"] = FAMILY
    ParagraphStyle.defaults["bulletFontName"] = FAMILY


def _register_faces(files: tuple[Path, ...], pdfmetrics, TTFont) -> None:
    for name, file in zip((FAMILY, BOLD, ITALIC, BOLD_ITALIC), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(file)))


def _has_glyph(file: Path, char: str) -> bool:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        return ord(char) in TTFontFile(str(file)).charToGlyph
    except Exception:
        return False


def money_unit() -> str:
    """How amounts are suffixed: "₫" when the font has it, else the word "đồng"."""
    return "₫" if register_fonts().has_dong_sign else "đồng"
