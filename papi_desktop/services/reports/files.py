"""Where documents are saved and what they are called.

Every document made in the window goes to one folder the user sees and changes in Cài đặt
(setting ``documents_dir``; default: the user's Documents / PAPI Desktop / <year>). File
names say what the document is: kind, item, place and date, in Vietnamese without marks
and without characters Windows refuses ("bien-ban-niem-yet_danh-sach-ho-ngheo_
thon-my-loi_2026-03-02.pdf"). Nothing is overwritten without asking: ``free_path`` gives
"name (2).pdf" when "name.pdf" exists; ``check_new`` refuses an existing file the CLI was
told to write unless ``--overwrite`` was given.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from papi_desktop.domain.text import fold
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext

DOCUMENTS_DIR = "documents_dir"
# Windows refuses these names whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}  # fmt: skip
MAX_PART = 48


def slug(text: str | None, limit: int = MAX_PART) -> str:
    """ "Danh sách hộ nghèo: Thôn Mỹ Lợi" -> "danh-sach-ho-ngheo-thon-my-loi" (ASCII letters,
    digits and "-", at most ``limit`` characters cut at a word)."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text or "")).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0] or words[:limit]
    if words in _RESERVED:
        words += "-"
    return words


def file_name(parts: list[str | date | None], suffix: str) -> str:
    """The parts that are not empty, each a slug (dates as YYYY-MM-DD), joined by "_"."""
    out = []
    for p in parts:
        if p is None or p == "":
            continue
        out.append(p.isoformat() if isinstance(p, date) else slug(str(p)))
    stem = "_".join(x for x in out if x) or "tai-lieu"
    return stem + suffix


def default_documents_dir(ctx: AppContext) -> Path:
    """The user's Documents / PAPI Desktop (without the year)."""
    import platformdirs

    try:
        docs = Path(platformdirs.user_documents_dir())
    except Exception:  # no home folder at all (a service account): keep them with the data
        return ctx.paths.root / "documents"
    return docs / "PAPI Desktop"


def documents_dir(ctx: AppContext, year: int | None = None) -> Path:
    """The folder documents are saved in: the setting, else the default; with the year
    (``year``, else the clock's) as a sub-folder."""
    chosen = (ctx.db.get_setting(DOCUMENTS_DIR) or "").strip()
    base = Path(chosen).expanduser() if chosen else default_documents_dir(ctx)
    return base / str(year or ctx.today().year)


def documents_base(ctx: AppContext) -> Path:
    """The folder shown in Cài đặt (without the year sub-folder)."""
    return documents_dir(ctx).parent


def set_documents_dir(ctx: AppContext, folder: str | Path | None) -> Path:
    """Save the documents folder (None or "" goes back to the default). A folder that
    cannot be made is refused and nothing is saved."""
    text = str(folder or "").strip()
    if text:
        path = Path(text).expanduser()
        if not path.is_absolute():
            raise UserError(
                f"“{text}” không phải đường dẫn đầy đủ; hãy chọn thư mục bằng nút Chọn….",
                f"“{text}” is not a full path; choose the folder with Browse….",
            )
        if path.exists() and not path.is_dir():
            raise UserError(f"“{path}” là một tệp, không phải thư mục.", f"“{path}” is a file.")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise UserError(
                f"Không tạo được thư mục “{path}”; hãy chọn thư mục khác.",
                f"Cannot create the folder “{path}”; choose another one.",
            ) from None
    ctx.db.set_setting(DOCUMENTS_DIR, text)
    return documents_base(ctx)


def free_path(path: Path) -> Path:
    """``path`` if no file has that name, else "name (2).ext", "name (3).ext" …"""
    path = Path(path)
    if not path.exists():
        return path
    for n in range(2, 10_000):
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise UserError(
        f"Thư mục “{path.parent}” đã có quá nhiều tệp “{path.name}”.",
        f"Too many copies of “{path.name}”.",
    )


def check_new(path: Path, overwrite: bool = False) -> Path:
    """Refuse an existing file unless ``overwrite`` (the CLI's ``--overwrite``)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise UserError(
            f"Đã có tệp “{path}”. Chọn tên khác, hoặc thêm --overwrite để ghi đè.",
            f"“{path}” already exists. Choose another name, or add --overwrite to replace it.",
        )
    return path
