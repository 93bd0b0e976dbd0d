"""Composition root and command line: ``bake-tracker [--db PATH] [gui | migrate | where]``.

It resolves the settings, sets up the log file, opens (and if needed upgrades) the database through
``database_service`` and starts the window. A refused database is reported as one line on stderr,
``bake-tracker: <message>``, with exit code 2; when the window was asked for, the same message is
also shown in an error box (when a display is available).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tkinter as tk
from collections.abc import Callable, Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from tkinter import messagebox

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from src.config import DATA_DIR_ENV, DATABASE_URL_ENV, Settings, load_settings
from src.services import database_service
from src.services.errors import DatabaseStartupError
from src.version import app_version

PROG = "bake-tracker"
EXIT_OK = 0
EXIT_NO_WINDOW = 1
EXIT_DATABASE = 2
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3

log = logging.getLogger(__name__)
_log_handler: logging.Handler | None = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plan, bake, assemble and deliver for events.",
        epilog=f"Without --db the database comes from ${DATABASE_URL_ENV} or the data folder "
        f"(${DATA_DIR_ENV} overrides it).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    parser.add_argument(
        "--db", metavar="PATH", help="a SQLite file, or a postgresql+psycopg:// address"
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="gui",
        choices=sorted(COMMANDS),
        help="gui: open the window (default); migrate: create or upgrade the database and "
        "print its schema revision; where: print where the data, database and log are",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the process exit code."""
    args = build_parser().parse_args(argv)
    settings = load_settings(args.db)
    try:
        return COMMANDS[args.command](settings)
    except DatabaseStartupError as exc:
        log.error("database refused at start-up: %s", exc.message)
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        if args.command == "gui":
            show_startup_error(exc.message)
        return EXIT_DATABASE


# --- commands -------------------------------------------------------------------------------


def run_gui(settings: Settings) -> int:
    configure_logging(settings.log_file)
    from src.ui.app import App  # imported here so the other commands never load Tk widgets

    try:
        app = App(settings=settings)
    except tk.TclError as exc:
        print(f"{PROG}: cannot open the window ({exc}).", file=sys.stderr)
        return EXIT_NO_WINDOW
    try:
        app.mainloop()
    finally:
        database_service.close_database()
    return EXIT_OK


def run_migrate(settings: Settings) -> int:
    configure_logging(settings.log_file)
    info = database_service.open_database(settings.database_url)
    database_service.close_database()
    print(f"database:        {info.path or info.url} ({info.backend})")
    print(f"schema revision: {info.revision} (up to date)")
    if info.migrated_from is not None:
        print(f"upgraded from:   {info.migrated_from}")
    if info.backup_path is not None:
        print(f"backup saved to: {info.backup_path}")
    return EXIT_OK


def run_where(settings: Settings) -> int:
    print(f"data folder:  {settings.data_dir}")
    print(f"database:     {describe_database(settings.database_url)} (from {settings.source})")
    print(f"log file:     {settings.log_file}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Settings], int]] = {
    "gui": run_gui,
    "migrate": run_migrate,
    "where": run_where,
}


# --- helpers --------------------------------------------------------------------------------


def describe_database(url: str) -> str:
    """A SQLite file's path, else the address with any password hidden (unparsable: as given)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return parsed.render_as_string(hide_password=True)


def configure_logging(log_file: Path) -> logging.Handler | None:
    """Send the app's log records to a rotating ``log_file`` (replacing an earlier call's file)."""
    global _log_handler
    root = logging.getLogger()
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        print(f"{PROG}: cannot write the log file {log_file} ({exc.strerror}).", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_handler = handler
    return handler


def show_startup_error(message: str) -> None:
    _show_error_box(f"{PROG} could not start", message)


def _show_error_box(title: str, message: str) -> None:
    """A Tk error box on a hidden root window; without a display there is nothing to show."""
    try:
        root = tk.Tk()
    except tk.TclError:
        return  # no display: the message is already on stderr
    root.withdraw()
    try:
        messagebox.showerror(title, message, parent=root)
    finally:
        root.destroy()
