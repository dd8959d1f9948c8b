"""Evidence files stored by content: ``attachments/<ab>/<sha256>`` under the data folder.

The same file attached twice is stored once. Every read verifies the hash, so a file changed
or damaged on disk is reported instead of silently printed or sent.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path

from papi_desktop.errors import StorageError, UserError

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def blob_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def store_file(root: Path, source: Path) -> tuple[str, int]:
    """Copy ``source`` into the store; return (sha256, size). Atomic: temp file, fsync, rename."""
    source = Path(source)
    if not source.is_file():
        raise UserError(
            f"Không tìm thấy tệp minh chứng: {source}. Hãy kiểm tra lại đường dẫn.",
            f"Evidence file not found: {source}. Check the path.",
        )
    size = source.stat().st_size
    if size == 0:
        raise UserError(
            f"Tệp {source.name} rỗng (0 byte): không phải minh chứng. Hãy chọn đúng tệp đã lưu "
            "xong (tệp đang tải về hoặc chép dở thường rỗng).",
            f"File {source.name} is empty (0 bytes): not evidence. Choose the finished file.",
        )
    if size > MAX_ATTACHMENT_BYTES:
        raise UserError(
            f"Tệp {source.name} quá lớn ({size // (1024 * 1024)} MB, tối đa 200 MB). "
            "Hãy nén hoặc chụp lại với độ phân giải thấp hơn.",
            f"File {source.name} is too large ({size // (1024 * 1024)} MB, max 200 MB).",
        )
    sha = sha256_file(source)
    target = blob_path(root, sha)
    if target.exists() and sha256_file(target) == sha:
        return sha, size
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        if sha256_file(Path(tmp)) != sha:
            raise StorageError(
                f"Sao chép tệp {source.name} bị lỗi (tệp thay đổi trong khi chép). Hãy thử lại.",
                f"Copying {source.name} failed (file changed while copying). Retry.",
            )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, size


def store_bytes(root: Path, data: bytes) -> str:
    """Store raw bytes (e.g. received in a sync package) after hashing them."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(root, sha)
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    return sha


def verified_path(
    root: Path, sha256: str, name: str | None = None, where_copy: tuple[str, str] | None = None
) -> Path:
    """The stored file for ``sha256`` after checking its content; StorageError otherwise,
    naming the file (``name``) and where a copy may be (``where_copy``: vi, en). A database
    backup holds no evidence files, so it is never the advice here."""
    path = blob_path(root, sha256)
    label = f"“{name}” ({sha256[:12]}…)" if name else f"{sha256[:12]}…"
    hint_vi, hint_en = where_copy or (
        "Hãy đính kèm lại tệp từ bản gốc.",
        "Attach the file again from the original.",
    )
    if not path.exists():
        raise StorageError(
            f"Thiếu tệp minh chứng {label} ({path}). {hint_vi}",
            f"Evidence file {label} is missing ({path}). {hint_en}",
        )
    if sha256_file(path) != sha256:
        raise StorageError(
            f"Tệp minh chứng {label} đã bị thay đổi hoặc hỏng trên ổ đĩa ({path}). {hint_vi}",
            f"Evidence file {label} was changed or damaged on disk ({path}). {hint_en}",
        )
    return path


def read_verified(root: Path, sha256: str) -> bytes:
    return verified_path(root, sha256).read_bytes()


def guess_mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
