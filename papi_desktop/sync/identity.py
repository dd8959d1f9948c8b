"""This installation's signing identity: an Ed25519 key pair and its human-checkable fingerprint.

The private key lives in ``<data>/keys/<site id>.ed25519.pem`` (mode 0600 where the OS supports
it) and never leaves the PC. Peers learn the public key from the first package and confirm the
fingerprint by phone; a reinstalled PC has a new key and is a new sender.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from papi_desktop.errors import UserError

KEY_SUFFIX = ".ed25519.pem"


def key_path(keys_dir: Path, site_id: str) -> Path:
    return Path(keys_dir) / f"{site_id}{KEY_SUFFIX}"


def ensure_key(keys_dir: Path, site_id: str) -> str:
    """Create the key pair when missing; return the public key as hex."""
    path = key_path(keys_dir, site_id)
    if path.exists():
        return public_key_hex(keys_dir, site_id)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    keys_dir = Path(keys_dir)
    keys_dir.mkdir(parents=True, exist_ok=True)
    with _quiet_chmod():
        os.chmod(keys_dir, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    with _quiet_chmod():
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return public_key_hex(keys_dir, site_id)


class _quiet_chmod:
    """chmod is best effort (Windows ignores most modes)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        return exc_type is not None and issubclass(exc_type, OSError)


def _load_private(keys_dir: Path, site_id: str):
    from cryptography.hazmat.primitives import serialization

    path = key_path(keys_dir, site_id)
    if not path.exists():
        raise UserError(
            f"Không tìm thấy khóa ký của máy này ({path}). Nếu máy vừa cài lại, hãy thiết lập "
            "lại và báo cơ quan giám sát xác nhận mã nhận dạng mới.",
            f"This PC's signing key is missing ({path}). After a reinstall, set up again and "
            "have the supervising office confirm the new fingerprint.",
        )
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_hex(keys_dir: Path, site_id: str) -> str:
    from cryptography.hazmat.primitives import serialization

    pub = _load_private(keys_dir, site_id).public_key()
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def sign(keys_dir: Path, site_id: str, data: bytes) -> bytes:
    """Ed25519 signature of ``data`` with this site's private key (64 bytes)."""
    return _load_private(keys_dir, site_id).sign(data)


def verify(public_hex: str, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``data`` by ``public_hex``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(signature, data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def fingerprint(public_hex: str) -> str:
    """A short code to read over the phone: 8 groups of 4 hex digits of SHA-256(public key)."""
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest().upper()[:32]
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))
