"""Print the closing-note table of issue 10: each bad input run through the real command
line, the one line it prints, its exit code, and whether the database dump changed.

    PAPI_DESKTOP_TODAY=2026-11-20 python scripts/refusal_table.py > refusals.md

Everything happens in a temporary folder; nothing on this PC is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ENV = {**os.environ, "PAPI_DESKTOP_TODAY": os.environ.get("PAPI_DESKTOP_TODAY", "2026-11-20")}
ROOT = Path(tempfile.mkdtemp(prefix="papi-refusals-"))


def run(data: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "papi_desktop", "--data-dir", str(data), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=120)


def dump(data: Path) -> str:
    db = data / "papi.sqlite3"
    if not db.exists():
        return "no database"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    except sqlite3.DatabaseError:
        return hashlib.sha256(db.read_bytes()).hexdigest()
    finally:
        con.close()


def case(section: str, what: str, data: Path, *args: str) -> None:
    before = dump(data)
    files_before = sorted(p.name for p in data.iterdir()) if data.exists() else []
    r = run(data, *args)
    after = dump(data)
    files_after = sorted(p.name for p in data.iterdir()) if data.exists() else []
    line = (r.stderr.strip() or r.stdout.strip()).splitlines()
    message = " / ".join(line)[:300].replace("|", "\\|")
    same = "yes" if before == after and files_before == files_after else "**NO**"
    print(f"| {section} | {what} | `{r.returncode}` | {message} | {same} |")


def main() -> int:
    c = ROOT / "commune"
    other = ROOT / "other"
    office = ROOT / "office"
    assert run(c, "init", "--role", "commune", "--unit-code", "22528").returncode == 0
    assert run(other, "init", "--role", "commune", "--unit-code", "22453").returncode == 0
    assert run(office, "init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", "56").returncode == 0  # fmt: skip
    assert run(other, "backup").returncode == 0
    other_backup = next((other / "backups").glob("*.sqlite3*"))
    assert run(office, "backup").returncode == 0
    office_backup = next((office / "backups").glob("*.sqlite3*"))
    r = run(c, "disclosures", "add", "--type", "NS-DUTOAN-QD", "--title", "Dự toán 2027",
            "--trigger-date", "13/11/2026", "--decision-no", "82/QĐ-UBND",
            "--decision-date", "13/11/2026", "--place", "Trụ sở UBND phường Ninh Hòa",
            "--json")  # fmt: skip
    item = json.loads(r.stdout)["id"][:8]

    print("| § | Case | Exit | Message shown | Dump unchanged |")
    print("|---|---|---|---|---|")
    case("1", "restore another commune's backup", c, "restore", str(other_backup))
    case("1", "restore the office's backup on a commune PC", c, "restore", str(office_backup))
    hostile = ROOT / "hostile.sqlite3"
    shutil.copy2(other_backup, hostile)
    con = sqlite3.connect(hostile)
    con.execute("CREATE TRIGGER t AFTER INSERT ON task_result BEGIN DELETE FROM task; END")
    con.commit()
    con.close()
    case("1", "restore a backup with a planted trigger", c, "restore", str(hostile))
    dropped = ROOT / "dropped.sqlite3"
    own = next((c / "backups").glob("*.sqlite3*"), None)
    if own is None:
        run(c, "backup")
        own = next((c / "backups").glob("*.sqlite3*"))
    shutil.copy2(own, dropped)
    con = sqlite3.connect(dropped)
    con.execute("DROP TABLE task_result")
    con.commit()
    con.close()
    case("1", "restore this unit's backup with a table dropped", c, "restore", str(dropped))
    case("2", "`demo` in a folder with a real setup", c, "demo")
    empty = ROOT / "never-set-up"
    case("3", "`tasks list` before `init` (folder not created)", empty, "tasks", "list")
    case("3", "`check` before `init`", empty, "check")
    case("3", "a failed `init` (unknown code) leaves no folder", ROOT / "failed-init", "init",
         "--role", "commune", "--unit-code", "99999")  # fmt: skip
    zero = ROOT / "zero"
    shutil.copytree(c, zero)
    (zero / "papi.sqlite3").write_bytes(b"")
    case("4", "0-byte database, `check`", zero, "check")
    bad = ROOT / "damaged"
    shutil.copytree(c, bad)
    raw = bytearray((bad / "papi.sqlite3").read_bytes())
    mid = len(raw) // 2
    raw[mid : mid + 4096] = os.urandom(4096)
    (bad / "papi.sqlite3").write_bytes(bytes(raw))
    case("4", "4 KB overwritten in the database, `check --json`", bad, "check", "--json")
    case("4", "report into a folder that refuses new files", c, "report", "framework", "-o",
         "/proc/khung.pdf")  # fmt: skip
    notzip = ROOT / "units.xlsx"
    notzip.write_bytes(b"this is not a workbook")
    case("5", "`units import` of a corrupt .xlsx", c, "units", "import", str(notzip))
    bomb = ROOT / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">'
                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><Types>&b;</Types>')  # fmt: skip
    case("5", "`units import` of an XML entity bomb", c, "units", "import", str(bomb))
    one = ROOT / "one-unit.csv"
    one.write_text("Mã tỉnh,Tỉnh,Mã xã,Xã,Loại\n56,Tỉnh Khánh Hòa,22834,Phường X,phuong\n")
    case("5", "`units import` of a 1-row list (would drop this PC's unit)", c, "units", "import",
         str(one), "--version", "2099.1")  # fmt: skip
    wide = ROOT / "wide.csv"
    wide.write_text(",".join(f"Cột {i}" for i in range(26)) + "\n" + ",".join("x" * 26) + "\n")
    case("5", "posting notice with a 26-column list", c, "report", "posting-notice", item,
         "--content", str(wide), "-o", str(ROOT / "tb.pdf"))  # fmt: skip
    case("6", "`review comment` on an unknown task", office, "review", "comment", "22528",
         "X9.9-99", "--period", "2026", "--comment", "?")  # fmt: skip
    case("6", "monthly task with `--period 2026`", c, "tasks", "set", "D1.1-01", "--period",
         "2026", "--status", "done")  # fmt: skip
    case("6", "`--done-on \"\"`", c, "tasks", "set", "D1.1-01", "--period", "2026-11",
         "--status", "done", "--done-on", "")  # fmt: skip
    case("6", "`--done-on` before the period starts", c, "tasks", "set", "D1.1-01", "--period",
         "2026-11", "--status", "done", "--done-on", "31/10/2026")  # fmt: skip
    case("6", "result `met` with status `todo`", c, "tasks", "set", "D1.1-01", "--period",
         "2026-11", "--status", "todo", "--result", "met")  # fmt: skip
    case("6", "trigger date in 1900", c, "disclosures", "add", "--type", "NS-DUTOAN-QD", "--title",
         "x", "--trigger-date", "01/01/1900")  # fmt: skip
    case("6", "posting dated before its decision", c, "disclosures", "post", item, "--place",
         "Trụ sở UBND phường Ninh Hòa", "--on", "01/11/2026")  # fmt: skip
    case("6", "mistyped `--place`", c, "disclosures", "post", item, "--place", "Thon My Loii",
         "--on", "20/11/2026")  # fmt: skip
    case("6", "a 25,000-character note (the office would refuse the package)", c, "tasks",
         "set", "D1.1-01", "--period", "2026-10", "--status", "doing", "--note", "a" * 25000)  # fmt: skip
    case("6", "a note with control characters", c, "tasks", "set", "D1.1-01", "--period",
         "2026-10", "--status", "doing", "--note", "x\x01\x1b[31m")  # fmt: skip
    case("6", "`sync communes --add` a ward of another province", office, "sync", "communes",
         "--add", "00004")  # fmt: skip
    case("6", "argparse: invalid choice", c, "tasks", "set", "D1.1-01", "--period", "2026-11",
         "--status", "finished")  # fmt: skip
    case("6", "argparse: a number that is not a number", office, "scores", "add", "--year",
         "2025", "--dimension", "1", "--score", "abc")  # fmt: skip
    case("6", "`--period 2031-05` (a typo for 2026-05)", c, "tasks", "set", "D1.1-01",
         "--period", "2031-05", "--status", "doing")  # fmt: skip
    shutil.rmtree(ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
