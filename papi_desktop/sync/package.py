"""The ``.papisync`` file: a signed ZIP written safely to a USB stick and read back defensively.

Members: ``manifest.json`` (who, for whom, sequence, acknowledgements, counts and the SHA-256
of every other member), ``rows.jsonl`` (one JSON object per line), ``attachments/<sha256>``
and ``manifest.sig`` (Ed25519 over the exact manifest bytes). Reading checks the ZIP limits
(member count, sizes, compression ratio, names), the format version, the signature and every
hash before anything is parsed further; any problem raises ``PackageRefused``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.sync import identity

FORMAT_NAME = "papi-sync"
FORMAT_VERSION = 1
SUFFIX = ".papisync"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ROWS = "rows.jsonl"
ATTACH_DIR = "attachments/"

MAX_MEMBERS = 100_000
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
# Real rows compress about 10–20 times; a bomb of zeros compresses about 1000 times.
MAX_RATIO = 200
MAX_LINES = 300_000  # rows + audit + conflict lines in one package
RATIO_FLOOR_BYTES = 1024 * 1024

_ATTACH_RE = re.compile(r"^attachments/[0-9a-f]{64}$")


class PackageRefused(UserError):
    """A package that must not be applied; ``code`` names the reason for scripts and tests."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en)
        self.code = code


def _damaged(path: Path, detail: str) -> PackageRefused:
    return PackageRefused(
        "damaged",
        f"Gói {path.name} bị hỏng hoặc chép chưa hết ({detail}). Không có gì được nhập. "
        "Hãy chép lại gói từ máy gửi (hoặc xuất gói mới) rồi nhập lại.",
        f"Package {path.name} is damaged or incompletely copied ({detail}). Nothing was "
        "imported. Copy it again from the sending PC (or export a new one) and retry.",
    )


@dataclass
class Package:
    """A verified package: its manifest, rows and extracted attachment files."""

    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    sha256: str
    size: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[str, Path] = field(default_factory=dict)

    @property
    def package_id(self) -> str:
        return self.manifest["package_id"]

    @property
    def sender(self) -> dict[str, Any]:
        return self.manifest["sender"]


def package_name(code: str, when: str, seq: int) -> str:
    """``PAPI-<code>-<yyyymmdd-hhmm>-<seq>.papisync``."""
    return f"PAPI-{code}-{when}-{seq:04d}{SUFFIX}"


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def encode_manifest(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def write_package(
    dest: Path,
    manifest: dict[str, Any],
    rows_bytes: bytes,
    blobs: dict[str, Path],
    signer: Callable[[bytes], bytes],
    *,
    opener: Callable[[Path], Any] | None = None,
) -> Package:
    """Write ``dest`` as ``<dest>.partial``, fsync, rename, then read it back and verify it.

    ``manifest`` gets its ``members`` filled in. ``opener`` (for tests) opens the partial file
    for binary writing. Returns the package as read back; on any failure nothing is left
    under ``dest``.
    """
    dest = Path(dest)
    members: dict[str, dict[str, Any]] = {
        ROWS: {"sha256": hashlib.sha256(rows_bytes).hexdigest(), "size": len(rows_bytes)}
    }
    for sha, src in sorted(blobs.items()):
        members[ATTACH_DIR + sha] = {"sha256": sha, "size": Path(src).stat().st_size}
    manifest = dict(manifest, members=members)
    mbytes = encode_manifest(manifest)
    signature = signer(mbytes)
    partial = dest.with_name(dest.name + ".partial")
    try:
        with opener(partial) if opener else open(partial, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                zf.writestr(MANIFEST, mbytes)
                zf.writestr(ROWS, rows_bytes)
                for sha, src in sorted(blobs.items()):
                    # Scans and photos are already compressed: store them as they are.
                    zf.write(src, ATTACH_DIR + sha, compress_type=zipfile.ZIP_STORED)
                zf.writestr(SIGNATURE, signature)
            fh.flush()
            os.fsync(fh.fileno())
        if dest.exists():
            raise FileExistsError(dest)
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    try:
        check = read_package(dest, None, expected_public_key=manifest["sender"]["public_key"])
        if check.manifest_bytes != mbytes:
            raise _damaged(dest, "manifest differs after writing")
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return check


def _safe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return False
    parts = name.split("/")
    return all(p not in ("", ".", "..") for p in parts)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise zipfile.BadZipFile(f"{info.filename} larger than declared")
    return data


def check_limits(path: Path, infos: Iterable[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Refuse bombs, traversal and unexpected members before reading anything."""
    infos = list(infos)
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(
            "limits",
            f"Gói {path.name} có quá nhiều tệp bên trong ({len(infos)}). Không nhập gói này.",
            f"Package {path.name} has too many members ({len(infos)}). Not imported.",
        )
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_name(name) or os.path.isabs(name):
            raise PackageRefused(
                "path",
                f"Gói {path.name} chứa đường dẫn không an toàn ({name!r}). Gói có thể bị giả "
                "mạo; không nhập. Hãy báo cho bên gửi.",
                f"Package {path.name} contains an unsafe path ({name!r}); it may be forged. "
                "Not imported; tell the sender.",
            )
        if name in names or not (name in (MANIFEST, SIGNATURE, ROWS) or _ATTACH_RE.match(name)):
            raise PackageRefused(
                "members",
                f"Gói {path.name} chứa tệp lạ hoặc trùng ({name}). Không nhập gói này.",
                f"Package {path.name} has an unexpected or duplicate member ({name}).",
            )
        names.add(name)
        total += info.file_size
        ratio_bad = info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        )
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or ratio_bad:
            raise PackageRefused(
                "limits",
                f"Gói {path.name} quá lớn khi giải nén ({name}); có thể là tệp độc hại. "
                "Không nhập gói này.",
                f"Package {path.name} expands too much ({name}); it may be malicious. "
                "Not imported.",
            )
    for needed in (MANIFEST, SIGNATURE, ROWS):
        if needed not in names:
            raise PackageRefused(
                "signature" if needed == SIGNATURE else "damaged",
                f"Gói {path.name} thiếu {needed}. Không nhập; hãy xuất lại gói ở máy gửi.",
                f"Package {path.name} lacks {needed}. Not imported; export it again.",
            )
    return infos


def _head(
    zf: zipfile.ZipFile, path: Path, expected_public_key: str | None
) -> tuple[dict[str, zipfile.ZipInfo], dict[str, Any], bytes]:
    """ZIP limits, manifest structure and signature: everything checked before any row."""
    try:
        infos = {i.filename: i for i in check_limits(path, zf.infolist())}
        mbytes = _read_member(zf, infos[MANIFEST], MAX_MANIFEST_BYTES)
        signature = _read_member(zf, infos[SIGNATURE], 1024)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _damaged(path, str(exc)) from exc
    except Exception as exc:  # zlib.error and friends from a damaged member
        if isinstance(exc, PackageRefused):
            raise
        raise _damaged(path, str(exc)) from exc
    manifest = _parse_manifest(path, mbytes)
    public = manifest["sender"]["public_key"]
    if not identity.verify(public, mbytes, signature) or (
        expected_public_key is not None and public != expected_public_key
    ):
        raise PackageRefused(
            "signature",
            f"Chữ ký của gói {path.name} không hợp lệ: gói đã bị sửa hoặc không do máy "
            "gửi tạo ra. Không nhập; hãy xuất lại gói ở máy gửi.",
            f"The signature of {path.name} is invalid: the package was altered or not "
            "made by the sender. Not imported; export it again.",
        )
    members = manifest["members"]
    if set(infos) != set(members) | {MANIFEST, SIGNATURE}:
        raise _damaged(path, "member list does not match the manifest")
    for name, meta in members.items():
        if infos[name].file_size != meta["size"]:
            raise _damaged(path, f"{name} size differs from the manifest")
    return infos, manifest, mbytes


def read_head(path: Path) -> tuple[dict[str, Any], bytes]:
    """The verified manifest (and its bytes) of a package, read where it lies (on the
    stick) without copying or extracting anything: trust is decided on this first."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path, str(exc)) from exc
    with zf:
        _, manifest, mbytes = _head(zf, path, None)
    return manifest, mbytes


def read_package(
    path: Path,
    work_dir: Path | None,
    *,
    expected_public_key: str | None = None,
    expected_manifest: bytes | None = None,
    check: Callable[[dict[str, Any]], None] | None = None,
    sha256: str | None = None,
) -> Package:
    """Open, check and verify a package file; attachments go to ``work_dir`` (when given).

    The signature is checked against the sender key written in the manifest (trust in that key
    is decided by the caller) and, when given, must match ``expected_public_key``;
    ``expected_manifest``: the manifest must be exactly these bytes (read before copying).
    ``check(manifest)`` runs before any row is parsed or attachment extracted. ``sha256``:
    the file's hash when already known (from ``copy_to_local``).
    """
    path = Path(path)
    try:
        digest = sha256
        if digest is None:
            raw_sha = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    raw_sha.update(chunk)
            digest = raw_sha.hexdigest()
        size = path.stat().st_size
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path, str(exc)) from exc
    with zf:
        infos, manifest, mbytes = _head(zf, path, expected_public_key)
        if expected_manifest is not None and mbytes != expected_manifest:
            raise _damaged(path, "manifest changed while copying")
        if check is not None:
            check(manifest)
        members = manifest["members"]
        pkg = Package(path, manifest, mbytes, digest, size)
        try:
            rows_bytes = _read_member(zf, infos[ROWS], int(members[ROWS]["size"]))
            if hashlib.sha256(rows_bytes).hexdigest() != members[ROWS]["sha256"]:
                raise _damaged(path, "rows.jsonl hash mismatch")
            pkg.lines = _parse_lines(path, rows_bytes)
            for name, meta in members.items():
                if not name.startswith(ATTACH_DIR):
                    continue
                sha = name[len(ATTACH_DIR) :]
                if meta.get("sha256") != sha:
                    raise _damaged(path, f"{name} listed with another hash")
                pkg.attachments[sha] = _extract(zf, infos[name], int(meta["size"]), work_dir, path)
        except PackageRefused:
            _cleanup(pkg)
            raise
        except Exception as exc:
            _cleanup(pkg)
            raise _damaged(path, str(exc)) from exc
    return pkg


def _cleanup(pkg: Package) -> None:
    for p in pkg.attachments.values():
        Path(p).unlink(missing_ok=True)


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, work_dir: Path | None, path: Path
) -> Path:
    sha = info.filename[len(ATTACH_DIR) :]
    digest = hashlib.sha256()
    out_path = (work_dir / sha) if work_dir else None
    written = 0
    with zf.open(info) as src, open(out_path or os.devnull, "wb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            written += len(chunk)
            if written > size:
                raise _damaged(path, f"{info.filename} larger than declared")
            digest.update(chunk)
            out.write(chunk)
    if written != size or digest.hexdigest() != sha:
        if out_path:
            out_path.unlink(missing_ok=True)
        raise _damaged(path, f"{info.filename} hash mismatch")
    return out_path or Path(os.devnull)


def _parse_manifest(path: Path, mbytes: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(mbytes.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageRefused(
            "signature",
            f"Phần mô tả (manifest) của gói {path.name} bị hỏng. Không nhập; hãy xuất lại gói.",
            f"The manifest of {path.name} is damaged. Not imported; export it again.",
        ) from exc
    if manifest.get("format") != FORMAT_NAME:
        raise PackageRefused(
            "format",
            f"Tệp {path.name} không phải gói đồng bộ PAPI Desktop.",
            f"{path.name} is not a PAPI Desktop sync package.",
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise PackageRefused(
            "format_version",
            f"Gói {path.name} được tạo bởi phiên bản PAPI Desktop mới hơn (định dạng {version}). "
            "Hãy cập nhật phần mềm trên máy này rồi nhập lại.",
            f"{path.name} was made by a newer PAPI Desktop (format {version}). Update this "
            "PC's software and retry.",
        )
    problem = manifest_problem(manifest)
    if problem:
        raise PackageRefused(
            "manifest",
            f"Phần mô tả của gói {path.name} sai cấu trúc ({problem}). Không nhập.",
            f"The manifest of {path.name} is malformed ({problem}). Not imported.",
        )
    return manifest


_STR, _OPT = (str,), (str, type(None))
# field: (accepted types, required)
_MANIFEST_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "package_id": (_STR, True),
    "seq": ((int,), True),
    "created_at": (_STR, True),
    "sender": ((dict,), True),
    "receiver": ((dict,), True),
    "members": ((dict,), True),
    "kind": (_STR, False),
    "restore_sites": ((list,), False),
    "clock": (_STR, False),
    "app_version": (_STR, False),
    "schema_version": ((int,), False),
    "since": (_STR, False),
    "full": ((bool,), False),
    "max_version": (_STR, False),
    "acks": ((dict,), False),
    "counts": ((dict,), False),
    "missing_attachments": ((list,), False),
}
_SENDER_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "site_id": (_STR, True),
    "role": (_STR, True),
    "public_key": (_STR, True),
    "unit_code": (_OPT, False),
    "unit_name": (_OPT, False),
    "province_code": (_OPT, False),
    "province_name": (_OPT, False),
}
_RECEIVER_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "role": (_STR, True),
    "province_code": (_OPT, False),
    "site_id": (_OPT, False),
    "unit_code": (_OPT, False),
    "except_units": ((list,), False),
}
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _fields_problem(
    obj: dict[str, Any], spec: dict[str, tuple[tuple[type, ...], bool]], where: str
) -> str:
    for name, (types, required) in spec.items():
        if name not in obj:
            if required:
                return f"{where}{name} missing"
            continue
        value = obj[name]
        if isinstance(value, bool) and bool not in types:
            return f"{where}{name} has the wrong type"
        if not isinstance(value, types):
            return f"{where}{name} has the wrong type"
    return ""


def manifest_problem(m: dict[str, Any]) -> str:
    """What is wrong with a manifest's structure ("" when nothing): every field the importer
    reads has the type it expects, so no later step can fail on it with a traceback."""
    problem = _fields_problem(m, _MANIFEST_FIELDS, "")
    if problem:
        return problem
    problem = _fields_problem(m["sender"], _SENDER_FIELDS, "sender.") or _fields_problem(
        m["receiver"], _RECEIVER_FIELDS, "receiver."
    )
    if problem:
        return problem
    if m["sender"]["role"] not in ("commune", "district"):
        return "sender.role unknown"
    if m.get("kind", "data") not in ("data", "restore"):
        return "kind unknown"
    if m["seq"] < 0 or not m["package_id"] or not _ISO_RE.match(m["created_at"]):
        return "seq, package_id or created_at invalid"
    for name in ("restore_sites", "missing_attachments", "except_units"):
        items = m["receiver"].get(name) if name == "except_units" else m.get(name)
        if items is not None and not all(isinstance(x, str) for x in items):
            return f"{name} holds a non-text item"
    for name, value_type in (("acks", str), ("counts", int)):
        for k, v in (m.get(name) or {}).items():
            if not isinstance(v, value_type) or isinstance(v, bool):
                return f"{name}.{k} has the wrong type"
    for name, meta in m["members"].items():
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("sha256"), str)
            or not isinstance(meta.get("size"), int)
            or isinstance(meta.get("size"), bool)
            or meta["size"] < 0
        ):
            return f"members.{name} malformed"
    if ROWS not in m["members"]:
        return "members lacks rows"
    return ""


def _parse_lines(path: Path, data: bytes) -> list[dict[str, Any]]:
    lines = data.count(b"\n")
    if lines > MAX_LINES:  # more than any manifest may declare: not parsed at all
        exc = PackageRefused("too_large", f"{lines} lines in rows.jsonl", f"{lines} lines")
        exc.limit = "rows"  # type: ignore[attr-defined]
        raise exc
    out = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError(f"rows.jsonl line {n} is not an object")
        out.append(obj)
    return out


def copy_to_local(src: Path, folder: Path) -> tuple[Path, str]:
    """Copy a package off the stick before reading it (sticks get pulled out); returns the
    copy and its SHA-256 (computed in the same pass, for ``read_package(sha256=…)``)."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / Path(src).name  # same name: messages and the log show what is on the stick
    try:
        # One pass: the copy also gives the package's SHA-256 (read_package reuses it).
        digest = hashlib.sha256()
        with open(src, "rb") as fin, open(dest, "wb") as fout:
            for chunk in iter(lambda: fin.read(1 << 20), b""):
                digest.update(chunk)
                fout.write(chunk)
    except OSError as exc:
        dest.unlink(missing_ok=True)
        raise PackageRefused(
            "unreadable",
            f"Không đọc được tệp {src} ({exc.strerror or exc}). Hãy cắm lại USB rồi thử lại.",
            f"Cannot read {src} ({exc.strerror or exc}). Re-insert the USB stick and retry.",
        ) from exc
    return dest, digest.hexdigest()
