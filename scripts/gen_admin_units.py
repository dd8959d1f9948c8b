"""Generate ``papi_desktop/catalog/data/admin_units.json`` from the ``vietnam-provinces`` wheel.

The PyPI package ``vietnam-provinces`` (GPL-3.0-or-later) carries the National Statistics
Office list of administrative units (https://danhmuchanhchinh.nso.gov.vn/) after the
1 July 2025 reform: 34 provinces and 3,321 communes. It needs Python >= 3.12, so it is not a
runtime dependency; this script only reads the JSON data inside the wheel.

Fetch the wheel (works from Python 3.11 too, nothing is installed)::

    pip download --no-deps --python-version 3.12 --only-binary=:all: \\
        -d /tmp/vp vietnam-provinces==2026.9.0

Then run, giving the .whl file or a folder where it was unpacked::

    python scripts/gen_admin_units.py /tmp/vp/vietnam_provinces-2026.9.0-py3-none-any.whl

The output is deterministic: rows sorted by code, fixed key order, one row per line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "papi_desktop" / "catalog" / "data" / "admin_units.json"

NESTED_JSON = "vietnam_provinces/data/nested-divisions.json"
INIT_PY = "vietnam_provinces/__init__.py"

PROVINCE_TYPES = {"tỉnh": "tinh", "thành phố trung ương": "thanh-pho-trung-uong"}
COMMUNE_TYPES = {"xã": "xa", "phường": "phuong", "đặc khu": "dac-khu"}
# The type word each name starts with; the source has at least one lower-case "xã ".
NAME_PREFIXES = {"xa": "Xã", "phuong": "Phường", "dac-khu": "Đặc khu"}


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _read_member(source: Path, member: str) -> str:
    if source.is_dir():
        return (source / member).read_text(encoding="utf-8")
    with zipfile.ZipFile(source) as wheel:
        return wheel.read(member).decode("utf-8")


def _read_versions(source: Path) -> tuple[str, str]:
    init_text = _read_member(source, INIT_PY)
    found = {}
    for name in ("__version__", "__data_version__"):
        match = re.search(rf"^{name}\s*=\s*['\"]([^'\"]+)['\"]", init_text, re.MULTILINE)
        if not match:
            raise SystemExit(f"{INIT_PY} has no {name}; is this a vietnam-provinces wheel?")
        found[name] = match.group(1)
    return found["__version__"], found["__data_version__"]


def _fix_prefix(name: str, unit_type: str) -> str:
    prefix = NAME_PREFIXES[unit_type]
    if name.lower().startswith(prefix.lower() + " ") and not name.startswith(prefix):
        return prefix + name[len(prefix) :]
    return name


def build_catalog(source: Path) -> dict[str, Any]:
    """Read the wheel (or unpacked folder) and return the catalog as a dict."""
    package_version, data_version = _read_versions(source)
    nested = json.loads(_read_member(source, NESTED_JSON))
    provinces: list[dict[str, str]] = []
    communes: list[dict[str, str]] = []
    for province in nested:
        kind = province["division_type"]
        if kind not in PROVINCE_TYPES:
            raise SystemExit(f"Unknown province division_type {kind!r} ({province['name']})")
        province_code = f"{int(province['code']):02d}"
        provinces.append(
            {"code": province_code, "name": _nfc(province["name"]), "type": PROVINCE_TYPES[kind]}
        )
        for ward in province["wards"]:
            ward_kind = ward["division_type"]
            if ward_kind not in COMMUNE_TYPES:
                raise SystemExit(f"Unknown ward division_type {ward_kind!r} ({ward['name']})")
            unit_type = COMMUNE_TYPES[ward_kind]
            communes.append(
                {
                    "code": f"{int(ward['code']):05d}",
                    "name": _fix_prefix(_nfc(ward["name"]), unit_type),
                    "type": unit_type,
                    "province_code": province_code,
                }
            )
    provinces.sort(key=lambda row: row["code"])
    communes.sort(key=lambda row: row["code"])
    return {
        "catalog": "admin-units",
        "version": data_version,
        "source": (
            f"vietnam-provinces {package_version} (PyPI), from the National Statistics Office "
            "list danhmuchanhchinh.nso.gov.vn"
        ),
        "license": "GPL-3.0-or-later",
        "generated_by": "scripts/gen_admin_units.py",
        "provinces": provinces,
        "communes": communes,
    }


def render(catalog: dict[str, Any]) -> str:
    """Serialise with one header key or one row per line, so diffs stay readable."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    for key in ("catalog", "version", "source", "license", "generated_by"):
        lines.append(f"{dump(key)}: {dump(catalog[key])},")
    for key in ("provinces", "communes"):
        rows = [dump(row) for row in catalog[key]]
        lines.append(f"{dump(key)}: [")
        lines.append(",\n".join(rows))
        lines.append("]," if key == "provinces" else "]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="vietnam-provinces .whl or unpacked folder")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    catalog = build_catalog(args.source)
    args.output.write_text(render(catalog), encoding="utf-8", newline="\n")
    counts: dict[str, int] = {}
    for row in catalog["provinces"] + catalog["communes"]:
        counts[row["type"]] = counts.get(row["type"], 0) + 1
    print(
        f"{args.output}: version {catalog['version']}, {len(catalog['provinces'])} provinces, "
        f"{len(catalog['communes'])} communes, types {dict(sorted(counts.items()))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
