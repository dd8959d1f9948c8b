"""The command line: ``papi-desktop [--data-dir DIR] [--lang vi|en] COMMAND …``.

The command lines are a stable contract that district IT staff and tests script against.
With no command the window opens. Exit codes: 0 success; 2 bad input (one line saying what
is wrong; nothing was written); 1 any other failure.

Each command module exposes ``register(sub)`` that adds its sub-parsers; a handler has the
signature ``handler(app: CliApp, args) -> int | None``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from papi_desktop import __version__
from papi_desktop.errors import StorageError, UserError

COMMAND_MODULES = [
    "papi_desktop.cli.core_cmd",
    "papi_desktop.cli.report_cmd",
    "papi_desktop.cli.sync_cmd",
    "papi_desktop.cli.district_cmd",
    "papi_desktop.cli.calendar_cmd",
    "papi_desktop.cli.inspections_cmd",
    "papi_desktop.cli.assess_cmd",
]


class CliApp:
    """What a command handler needs: the data folder, language and output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lang = getattr(args, "lang", "vi") or "vi"
        self._ctx = None

    def context(self, *, auto_backup: bool = True, create: bool = False):
        """The open data folder. Only commands that set a folder up (``create``) may make
        a new database; the others say the PC is not set up and create nothing."""
        if self._ctx is None:
            from papi_desktop.services.context import open_context

            self._ctx = open_context(self.args.data_dir, auto_backup=auto_backup, create=create)
            problem = self._ctx.auto_backup_problem
            if problem is not None:  # the work goes on, but the official should know
                self.warn(
                    self.t("Chưa sao lưu tự động được hôm nay: ", "Today's automatic backup "
                           "failed: ") + problem.message(self.lang)
                )  # fmt: skip
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None

    def t(self, vi: str, en: str) -> str:
        return en if self.lang == "en" else vi

    def out(self, text: str = "") -> None:
        sys.stdout.write(text + "\n")

    def warn(self, text: str) -> None:
        sys.stderr.write(text + "\n")

    def print_json(self, obj: Any) -> None:
        # Indented for a person at a terminal; compact (and much faster) when piped to a script.
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=indent, default=str) + "\n")


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as ONE line in the user's language (exit 2)."""

    english = False  # set by main() from the command line before parsing

    def error(self, message: str) -> None:
        sys.stderr.write(usage_message(message, self.prog, _Parser.english) + "\n")
        raise SystemExit(2)


def number(text: str) -> float:
    """A number as officials type it: "84,37" (decimal comma) or "84.37"."""
    t = text.strip()
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    return float(t)


number.__name__ = "float"  # argparse names the type in its message (translated below)


def usage_message(message: str, prog: str, en: bool = False) -> str:
    """Translate argparse's English error into one plain line, Vietnamese unless ``en``."""
    import re

    hint_vi, hint_en = f" Xem: {prog} --help", f" See: {prog} --help"
    m = re.match(r"the following arguments are required: (.+)", message)
    if m:
        what = m.group(1)
        if en:
            return f"Error: missing {what}.{hint_en}"
        return f"Lỗi: thiếu tham số bắt buộc {what}.{hint_vi}"
    m = re.match(
        r"argument (\S+?)(?:/\S+)?: invalid choice: '([^']*)' \(choose from (.+)\)", message
    )
    if m:
        opt, value, choices = m.group(1), m.group(2), m.group(3).replace("'", "")
        if en:
            return f"Error: “{value}” is not valid for {opt}; choose one of: {choices}."
        return f"Lỗi: giá trị “{value}” không hợp lệ cho {opt}; chọn một trong: {choices}."
    m = re.match(r"argument (\S+?)(?:/\S+)?: invalid int value: '([^']*)'", message)
    if m:
        opt, value = m.group(1), m.group(2)
        if en:
            return f"Error: {opt} needs a whole number (got “{value}”)."
        return f"Lỗi: {opt} phải là một số nguyên (nhận được “{value}”)."
    m = re.match(r"argument (\S+?)(?:/\S+)?: invalid float value: '([^']*)'", message)
    if m:
        opt, value = m.group(1), m.group(2)
        if en:
            return f"Error: {opt} needs a number such as 7.25 (got “{value}”)."
        return f"Lỗi: {opt} phải là một số, ví dụ 7,25 (nhận được “{value}”)."
    m = re.match(r"argument (\S+?)(?:/\S+)?: invalid \S+ value: '([^']*)'", message)
    if m:
        opt, value = m.group(1), m.group(2)
        if en:
            return f"Error: “{value}” is not a valid value for {opt}.{hint_en}"
        return f"Lỗi: giá trị “{value}” không hợp lệ cho {opt}.{hint_vi}"
    m = re.match(r"argument (\S+?)(?:/\S+)?: expected (?:one|at least one) argument", message)
    if m:
        opt = m.group(1)
        return f"Error: {opt} needs a value." if en else f"Lỗi: {opt} cần một giá trị đi kèm."
    m = re.match(r"one of the arguments (.+) is required", message)
    if m:
        opts = ", ".join(m.group(1).split())
        if en:
            return f"Error: give one of {opts}.{hint_en}"
        return f"Lỗi: cần một trong các tham số {opts}.{hint_vi}"
    m = re.match(r"argument (\S+?)(?:/\S+)?: not allowed with argument (\S+)", message)
    if m:
        a, b = m.group(1), m.group(2)
        if en:
            return f"Error: {a} and {b} cannot be used together.{hint_en}"
        return f"Lỗi: không dùng {a} cùng với {b}.{hint_vi}"
    m = re.match(r"unrecognized arguments: (.+)", message)
    if m:
        extra = m.group(1)
        if en:
            return f"Error: unknown argument(s): {extra}.{hint_en}"
        return f"Lỗi: không hiểu tham số: {extra}.{hint_vi}"
    # Anything argparse says that is not translated above stays out of a Vietnamese line.
    return (f"Error: {message}.{hint_en}") if en else (f"Lỗi: lệnh không đúng cú pháp.{hint_vi}")


def _disk_message(exc: OSError, args: argparse.Namespace):
    """A full or read-only disk met while writing (a report, an export, a backup): the
    StorageError naming the disk, or None for any other OSError. The writers write to a
    temporary file and rename it, so nothing partial is left behind."""
    if isinstance(exc, BrokenPipeError):
        return None
    from pathlib import Path

    from papi_desktop.config import resolve_data_dir
    from papi_desktop.store.db import disk_error

    target = exc.filename or getattr(args, "output", None) or getattr(args, "to", None)
    return disk_error(exc, Path(target) if target else resolve_data_dir(args.data_dir))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="papi-desktop",
        description="PAPI Desktop — nhiệm vụ PAPI, công khai, in ấn và đồng bộ USB cho xã/phường.",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="thư mục dữ liệu / data folder")
    parser.add_argument("--lang", choices=("vi", "en"), default=None, help="ngôn ngữ / language")
    parser.add_argument("--version", action="version", version=f"PAPI Desktop {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="mở cửa sổ với dữ liệu mẫu (thư mục riêng) / open the window with demo data",
    )
    parser.add_argument(
        "--smoke-test",
        metavar="OUTDIR",
        help="kiểm tra bản đóng gói rồi thoát / self-test and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # Windows consoles default to a legacy code page; a windowed exe has no streams at all.
        encoding = getattr(stream, "encoding", None) or ""
        if stream is not None and encoding.lower().replace("-", "") != "utf8":
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (AttributeError, ValueError):
                pass
    # Services log refusals in English for the window's log file; without a handler Python
    # would print them on the terminal as a second, English line.
    import logging

    logging.getLogger("papi_desktop").addHandler(logging.NullHandler())
    argv = sys.argv[1:] if argv is None else list(argv)
    _Parser.english = "--lang" in argv and argv[argv.index("--lang") + 1 :][:1] == ["en"]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage error (2) or --help / --version (0)
        return int(exc.code or 0)
    chosen_lang = args.lang  # None: the window uses the language saved in its settings
    if args.lang is None:
        args.lang = "vi"
    if args.command is None:
        if args.smoke_test:
            from papi_desktop.smoke import run_smoke_test

            return run_smoke_test(args.smoke_test)
        data_dir = args.data_dir
        if args.demo:
            from papi_desktop.services.demo import prepare_demo

            try:
                data_dir = str(prepare_demo(args.data_dir))
            except (UserError, StorageError) as exc:
                sys.stderr.write(exc.message(args.lang) + "\n")
                return 2 if isinstance(exc, UserError) else 1
        from papi_desktop.ui.app import run_app

        return run_app(data_dir=data_dir, lang=chosen_lang)
    app = CliApp(args)
    try:
        code = args.func(app, args)
        return int(code or 0)
    except UserError as exc:
        sys.stderr.write(app.t("Lỗi: ", "Error: ") + exc.message(app.lang) + "\n")
        return 2
    except StorageError as exc:
        sys.stderr.write(app.t("Lỗi dữ liệu: ", "Storage error: ") + exc.message(app.lang) + "\n")
        if exc.kind == "corrupt":
            from papi_desktop.services.maintenance import newest_good_backup

            good = newest_good_backup(args.data_dir)
            if good is not None:
                sys.stderr.write(
                    app.t(
                        f'Bản sao lưu tốt gần nhất: {good}\nKhôi phục bằng: papi-desktop restore "{good}"\n',
                        f'Newest good backup: {good}\nRestore with: papi-desktop restore "{good}"\n',
                    )
                )
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(app.t("Đã dừng.", "Interrupted.") + "\n")
        return 1
    except BrokenPipeError:
        # Output piped into `head` or similar: stop quietly, as Unix tools do.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        disk = _disk_message(exc, args)
        if disk is None:
            raise
        sys.stderr.write(app.t("Lỗi ghi tệp: ", "Write error: ") + disk.message(app.lang) + "\n")
        return 1
    finally:
        app.close()
