"""Composition root and command line: ``bake-tracker [--db PATH] [COMMAND]``.

Commands: ``gui`` (the default: open the window), ``migrate``, ``where``, ``export FILE``,
``import FILE [--mode merge|replace]``, ``backup [FILE]``, ``restore FILE`` (``--list``),
``backups``, ``history FILE [--assembly]``, ``cost-report FILE --event NAME [--year Y]``,
``print KIND --event NAME [--year Y] [--page-size a4|letter] [--message TEXT] [--lots] -o FILE``,
``demo``, ``check``, ``install-desktop`` and ``uninstall-desktop``. Commands that write make the
day's automatic backup first (SQLite); ``import`` and ``restore`` also save one just before they
replace anything.

It resolves the settings, sets up the log file, opens (and if needed upgrades) the database through
``database_service`` and starts the window. A refused database is reported as one line on stderr,
``bake-tracker: <message>``, with exit code 2. When the window was asked for, any start-up failure
(a refused database, or an unexpected error, whose traceback goes to the log) is also shown in an
error box, since a desktop user never sees a terminal.

Tk is imported only by the ``gui`` command, so every other command runs where Tk is missing.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from bake_tracker import desktop_entry
from bake_tracker.config import DATA_DIR_ENV, DATABASE_URL_ENV
from bake_tracker.core import faults
from bake_tracker.version import app_version

# Heavy modules (SQLAlchemy, Alembic, the services, Tk) are imported inside the commands that use
# them, never at the top: ``--version`` and ``--help`` then start in ~0.1 s of CPU instead of
# ~1.3 s, and every command still pays for them only once, when it opens the database.
if TYPE_CHECKING:
    from bake_tracker.config import Settings
    from bake_tracker.services.dto import DatabaseInfo
    from bake_tracker.ui.app import App

PROG = "bake-tracker"
EXIT_OK = 0
EXIT_NO_WINDOW = 1
EXIT_DATABASE = 2
EXIT_FAILED = 3
EXIT_DRIFT = 4
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
# Smoke tests of a build (.ci/bundle-smoke): close the window this many ms after it is drawn.
CLOSE_AFTER_ENV = "BAKE_TRACKER_CLOSE_AFTER_MS"
DRAWN_MARK = "window drawn at"

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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (handler, help_text) in COMMAND_HELP.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        ARGUMENTS.get(name, lambda _p: None)(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the process exit code."""
    args = build_parser().parse_args(argv)  # --version and --help end here, before the imports
    from bake_tracker.config import load_settings
    from bake_tracker.services.errors import DatabaseStartupError, ServiceError

    command = args.command or "gui"
    handler = getattr(args, "handler", run_gui)
    settings = load_settings(args.db)
    try:
        return handler(settings, args) if command in NEEDS_ARGS else handler(settings)
    except DatabaseStartupError as exc:
        log.error("database refused at start-up: %s", exc.message)
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        if command != "gui":
            return EXIT_DATABASE
        if exc.kind == faults.DAMAGED and sqlite_path(settings.database_url) is not None:
            return restore_at_startup(settings, exc.message)
        show_startup_error(exc.message)
        return EXIT_DATABASE
    except ServiceError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        if command != "gui":
            raise  # a command-line user sees the traceback where they typed the command
        # The window's user has no terminal: log the traceback, say what happened and where.
        log.exception("the window could not start")
        message = (
            f"An unexpected error stopped the app from starting:\n{exc or type(exc).__name__}"
            f"\n\nThe details were written to the log file:\n{settings.log_file}"
        )
        print(f"{PROG}: {message}", file=sys.stderr)
        show_startup_error(message)
        return EXIT_FAILED


# --- commands -------------------------------------------------------------------------------


def gui_main() -> int:
    """The windowed entry point, ``bake-tracker-gui`` (no console window on Windows): opens the
    window on ``--db PATH`` when given, else on the configured database."""
    parser = argparse.ArgumentParser(
        prog=f"{PROG}-gui", description="Open the bake-tracker window."
    )
    parser.add_argument(
        "--db", metavar="PATH", help="a SQLite file, or a postgresql+psycopg:// address"
    )
    args = parser.parse_args()
    return main(["--db", args.db, "gui"] if args.db else ["gui"])


def run_gui(settings: Settings) -> int:
    configure_logging(settings.log_file)
    with garbage_collection_paused():
        # Tk is imported here, not at the top, so the other commands run where Tk is missing.
        import tkinter as tk

        from bake_tracker.services import database_service
        from bake_tracker.ui.app import App

        imported = time.time()
        try:
            app = App(settings=settings)
        except tk.TclError as exc:
            gc.enable()
            print(f"{PROG}: cannot open the window ({exc}).", file=sys.stderr)
            return EXIT_NO_WINDOW
    built = time.time()
    app.after_idle(gc.enable)  # once the window is drawn (garbage_collection_paused)
    close_after = os.environ.get(CLOSE_AFTER_ENV, "")
    if close_after.isdigit():
        marks = f"(imports done at {imported:.3f}, window built at {built:.3f})"
        app.after_idle(lambda: close_when_drawn(app, int(close_after), marks))
    try:
        app.mainloop()
    finally:
        gc.enable()
        database_service.close_database()
    return EXIT_OK


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the window starts; the caller resumes it.

    Start-up imports SQLAlchemy, the models and the widgets: tens of thousands of objects that all
    live as long as the app, which the collector would scan again and again for nothing, about a
    tenth of the start (measured: 0.11 s of 1.25 s of CPU). Nothing is lost by waiting: the
    collector frees cycles whenever it runs. On an error it is resumed here.
    """
    gc.disable()
    try:
        yield
    except BaseException:
        gc.enable()
        raise


def close_when_drawn(app: App, delay_ms: int, marks: str = "") -> None:
    """For smoke tests of a build: once the window is drawn, print when (seconds since the epoch,
    so a script can subtract its start time) and the CPU time used; after ``delay_ms`` show every
    tab (a tab module missing from a bundle fails here, not at a user's first click), printing
    ``tab <name> shown`` for each, then close the window the normal way."""
    app.update()
    # CPU seconds too: on a busy machine the wall clock says more about the neighbours.
    drawn = f"{DRAWN_MARK} {time.time():.3f} {marks}".rstrip()
    print(f"{drawn} (cpu {time.process_time():.2f} s)", flush=True)

    def show_every_tab_then_close() -> None:
        for name in app.tab_frames:
            app.select_tab(name)
            app.update()
            print(f"tab {name} shown", flush=True)
        app.on_close()

    app.after(delay_ms, show_every_tab_then_close)


def run_install_desktop(settings: Settings) -> int:
    if not sys.platform.startswith("linux"):
        print(f"{PROG}: install-desktop is for Linux desktops; see the README for {sys.platform}.")
        return EXIT_FAILED
    placed = desktop_entry.install()
    print(f"menu entry:  {placed.entry}")
    print(f"icons:       {placed.icons[0].parents[2]} ({len(placed.icons)} sizes)")
    return EXIT_OK


def run_uninstall_desktop(settings: Settings) -> int:
    removed = desktop_entry.uninstall()
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("no menu entry was installed")
    return EXIT_OK


def run_migrate(settings: Settings) -> int:
    with opened_database(settings) as info:
        pass  # opening the database is what upgrades it
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
    problem = log_file_problem(settings.log_file)
    print(f"log file:     {settings.log_file}" + (f" (not written: {problem})" if problem else ""))
    path = sqlite_path(settings.database_url)
    if path is not None:
        print(
            f"backups:      {path.parent / 'backups'} (automatic: daily and before every restore "
            f"and import, the last {settings.keep_backups} kept)"
        )
    else:
        print("backups:      automatic backups of a server database are the server's job")
    return EXIT_OK


@contextmanager
def opened_database(settings: Settings) -> Iterator[DatabaseInfo]:
    """Log to the settings' file and open (upgrading if needed) their database for one command;
    the database is closed when the command ends, whether it succeeded or not."""
    from bake_tracker.services import database_service

    configure_logging(settings.log_file)
    info = database_service.open_database(settings.database_url)
    try:
        yield info
    finally:
        database_service.close_database()


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    from bake_tracker.services import transfer_service

    with opened_database(settings):
        document = transfer_service.export_data(args.file)
    rows = sum(len(v) for v in document.values() if isinstance(v, list))
    print(f"exported {rows} records to {args.file}")
    return EXIT_OK


def run_import(settings: Settings, args: argparse.Namespace) -> int:
    from bake_tracker.services import backup_service, transfer_service

    with opened_database(settings):
        backup_service.refuse_read_only("import")
        daily_backup(settings)
        saved = backup_service.automatic_backup(
            backup_service.BEFORE_IMPORT, keep=settings.keep_backups
        )
        if saved is not None:
            print(f"backup before the import saved to {saved}")
        result = transfer_service.import_data(args.file, mode=args.mode)
    if result.errors:
        print(f"{PROG}: nothing was imported; the file has these problems:", file=sys.stderr)
        for error in result.errors:
            print(f"  - {error}", file=sys.stderr)
        return EXIT_FAILED
    added = {k: v for k, v in result.added.items() if v}
    print(
        f"imported ({args.mode}): "
        + (", ".join(f"{n} {k}" for k, n in added.items()) or "nothing new")
    )
    for line in transfer_service.import_report(result)[1:]:  # the skips, section by section
        print(line)
    return EXIT_OK


def run_history(settings: Settings, args: argparse.Namespace) -> int:
    """Production (or ``--assembly``) history to FILE: .json (re-importable) or .csv; or, with
    ``--recipients``, every package each recipient was given (.csv)."""
    from bake_tracker.services import report_files

    kind = report_files.PRODUCTION
    if args.assembly:
        kind = report_files.ASSEMBLY
    if args.recipients:
        kind = report_files.RECIPIENTS
    with opened_database(settings):
        written = report_files.export_history(args.file, kind=kind)
    what = "recipient assignment(s)" if args.recipients else f"{kind} run(s)"
    print(f"exported {written} {what} to {args.file}")
    return EXIT_OK


def _history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a .json file (re-importable) or .csv (production only)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--assembly", action="store_true", help="assembly runs, not production")
    which.add_argument(
        "--recipients",
        action="store_true",
        help="every package each recipient was given, with status and delivery (.csv)",
    )


def run_cost_report(settings: Settings, args: argparse.Namespace) -> int:
    """An event's planned vs actual cost per recipe, as CSV."""
    from bake_tracker.services import report_files

    with opened_database(settings):
        event = report_files.find_event(args.event, args.year)
        report_files.export_cost_report(event.id, args.file)
    print(f"cost report of {event.label} written to {args.file}")
    return EXIT_OK


def run_print(settings: Settings, args: argparse.Namespace) -> int:
    """Write one of an event's printable documents as a PDF (``documents_service``)."""
    from bake_tracker.core.paper import default_page_size
    from bake_tracker.services import documents_service, report_files

    # every argument is checked before the database is opened or the file touched
    kind = documents_service.check_kind(args.kind)
    page_size = documents_service.check_page_size(args.page_size or default_page_size(os.environ))
    message = documents_service.clean_message(args.message)
    with opened_database(settings):
        event = report_files.find_event(args.event, args.year)
        path = documents_service.print_document(
            kind,
            event.id,
            args.output,
            page_size=page_size,
            message=message,
            include_lots=args.lots,
        )
    print(f"{kind} of {event.label} written to {path} ({page_size})")
    return EXIT_OK


def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    from bake_tracker.services import backup_service

    with opened_database(settings):
        path = backup_service.backup_database(args.file)
    print(f"backup saved to {path}")
    return EXIT_OK


def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore a backup; with ``--list`` (or no file) list the backups, newest first. Works on a
    damaged database too: it is set aside beside itself, named with the date."""
    from bake_tracker.services import backup_service, database_service

    if args.list or not args.file:
        return run_backups(settings)
    configure_logging(settings.log_file)
    try:
        info = backup_service.restore_into(
            settings.database_url, args.file, keep=settings.keep_backups
        )
    finally:
        database_service.close_database()
    print(f"restored {args.file} into {info.path or info.url}")
    if info.safety_copy is not None:
        print(f"the data it replaced was saved to {info.safety_copy}")
    if info.damaged_copy is not None:
        print(f"the damaged database was kept as {info.damaged_copy}")
    return EXIT_OK


def run_backups(settings: Settings) -> int:
    """List the database's backups, newest first, with their dates and who made them."""
    from bake_tracker.services import backup_service

    with opened_database(settings):
        entries = backup_service.list_backups()
        folder = backup_service.backups_folder()
    if not entries:
        print(f"no backups in {folder}")
        return EXIT_OK
    print(f"{len(entries)} backup(s) in {folder}, newest first:")
    for entry in entries:
        print(
            f"  {entry.taken_at:%Y-%m-%d %H:%M:%S}  {entry.kind:<16} "
            f"{faults.size_text(entry.size):>8}  {entry.path.name}"
        )
    print("restore one with: bake-tracker restore FILE")
    return EXIT_OK


def run_demo(settings: Settings) -> int:
    """Load the sample season; a database file this command created is removed again when the
    sample could not be loaded (a full disk leaves no empty or 0-byte database behind)."""
    from bake_tracker import db
    from bake_tracker.services import backup_service, sample_data_service
    from bake_tracker.services.errors import ServiceError

    path = sqlite_path(settings.database_url)
    created = path is not None and not path.exists()
    try:
        with opened_database(settings):
            backup_service.refuse_read_only("load the sample season")
            made = sample_data_service.load_sample_data()
    except ServiceError as exc:
        # a full disk: the new file holds no data (the load was rolled back), so it goes
        if created and path is not None and getattr(exc, "kind", None) == faults.FULL:
            db.remove_database_file(path)
        raise
    print("sample season loaded: " + ", ".join(f"{n} {what}" for what, n in made.items()))
    return EXIT_OK


def daily_backup(settings: Settings) -> None:
    """The day's automatic backup before a command writes; a failure is said, not fatal (the
    command's own write will meet the same disk and say so)."""
    from bake_tracker.services import backup_service
    from bake_tracker.services.errors import ServiceError

    try:
        made = backup_service.daily_backup(keep=settings.keep_backups)
    except ServiceError as exc:
        print(f"{PROG}: the daily backup was not made: {exc.message}", file=sys.stderr)
        return
    if made is not None:
        print(f"daily backup saved to {made}")


def sqlite_path(url: str) -> Path | None:
    """The SQLite file behind ``url`` (None for a server or an address that does not parse)."""
    from sqlalchemy.exc import ArgumentError

    from bake_tracker import db

    try:
        return db.sqlite_file(url)
    except ArgumentError:
        return None


def run_check(settings: Settings) -> int:
    """The file itself (SQLite's ``PRAGMA integrity_check``), then every figure; exit 4 on any
    problem, each one listed."""
    from bake_tracker.services import integrity_service
    from bake_tracker.services.errors import ServiceError

    with opened_database(settings):
        storage = integrity_service.check_storage()
        try:
            drifts = integrity_service.check_invariants()
            loops = integrity_service.check_structure()
        except ServiceError as exc:
            if not storage.problems:
                raise
            drifts, loops, unchecked = [], [], exc.message  # a damaged file: report what was found
        else:
            unchecked = None
    if not storage.ran:
        print(
            f"file check skipped: PRAGMA integrity_check is for SQLite files "
            f"({storage.backend} checks its own storage)"
        )
    elif storage.problems:
        print(f"{len(storage.problems)} problem(s) in the database file (PRAGMA integrity_check):")
        for problem in storage.problems:
            print(f"  - {problem}")
        print(
            f"{PROG}: the database file is damaged ({len(storage.problems)} problem(s) listed). "
            "Restore a backup, or export what can still be read.",
            file=sys.stderr,
        )
    if unchecked:
        print(f"figures not checked: {unchecked}")
    if loops:
        print(f"{len(loops)} recipe or finished-good loop(s), which no cost or plan can walk:")
        for loop in loops:
            print(f"  - {loop}")
    if not drifts and not storage.problems and not loops:
        print("everything balances: pantry lots, finished stock, counts and run totals")
        return EXIT_OK
    if drifts:
        print(f"{len(drifts)} figure(s) do not add up:")
        for drift in drifts:
            print(f"  - {drift.describe()}")
    return EXIT_DRIFT


COMMAND_HELP: dict[str, tuple[Callable[..., int], str]] = {
    "gui": (run_gui, "open the window (the default)"),
    "migrate": (run_migrate, "create or upgrade the database and print its schema revision"),
    "where": (run_where, "print where the data folder, database and log file are"),
    "export": (run_export, "write everything to one JSON file"),
    "import": (run_import, "read a JSON file written by export (all or nothing)"),
    "history": (run_history, "write every production (or --assembly) run to a .json or .csv"),
    "cost-report": (run_cost_report, "write an event's planned vs actual cost per recipe (CSV)"),
    "print": (
        run_print,
        "write an event's shopping list, baking plan, packing list, gift tags "
        "or cost report as a PDF",
    ),
    "backup": (run_backup, "copy the database to FILE (default: a dated file in backups/)"),
    "restore": (run_restore, "replace the database with a backup (a safety copy is kept)"),
    "backups": (run_backups, "list the backups in the backups folder, newest first"),
    "demo": (run_demo, "load a sample holiday season into an empty database"),
    "check": (run_check, "verify the database file, and that lots, counts and run totals add up"),
    "install-desktop": (run_install_desktop, "add bake-tracker to the Linux applications menu"),
    "uninstall-desktop": (run_uninstall_desktop, "remove it from the applications menu again"),
}
COMMANDS = {name: handler for name, (handler, _) in COMMAND_HELP.items()}
NEEDS_ARGS = {"export", "import", "backup", "restore", "history", "cost-report", "print"}
ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "export": lambda p: p.add_argument("file", help="the JSON file to write"),
    "import": lambda p: (
        p.add_argument("file", help="the JSON file to read"),
        p.add_argument(
            "--mode",
            choices=("merge", "replace"),
            default="merge",
            help="merge: add what is new (default); replace: empty the database first",
        ),
    ),
    "history": _history_arguments,
    "cost-report": lambda p: (
        p.add_argument("file", help="the CSV file to write"),
        p.add_argument("--event", required=True, help="the event's name"),
        p.add_argument("--year", type=int, help="the event's year, when names repeat"),
    ),
    "print": lambda p: (
        p.add_argument(
            "kind", help="shopping-list, baking-plan, packing-list, gift-tags or cost-report"
        ),
        p.add_argument("--event", required=True, help="the event's name"),
        p.add_argument("--year", type=int, help="the event's year, when names repeat"),
        p.add_argument(
            "--page-size",
            metavar="a4|letter",
            help="the paper (default: from the locale; US Letter when none is set)",
        ),
        p.add_argument("--message", help="a short message printed on every gift tag"),
        p.add_argument(
            "--lots", action="store_true", help="cost report: list the purchase lots too"
        ),
        p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF"),
    ),
    "backup": lambda p: p.add_argument("file", nargs="?", help="where to write the copy"),
    "restore": lambda p: (
        p.add_argument("file", nargs="?", help="a .sqlite3 backup or a .json export"),
        p.add_argument("--list", action="store_true", help="list the backups, newest first"),
    ),
}


# --- helpers --------------------------------------------------------------------------------


def describe_database(url: str) -> str:
    """A SQLite file's path, else the address with any password hidden (unparsable: as given)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return parsed.render_as_string(hide_password=True)


class _QuietLogFile(RotatingFileHandler):
    """The rotating log file, which steps aside when it cannot be written (a full or read-only
    disk): logging is never worth a traceback on the user's terminal, so the handler removes
    itself from the root logger instead of printing one."""

    def handleError(self, record: logging.LogRecord) -> None:
        global _log_handler
        logging.getLogger().removeHandler(self)
        if _log_handler is self:
            _log_handler = None
        with suppress(OSError):
            self.close()


def configure_logging(log_file: Path) -> logging.Handler | None:
    """Send the app's log records to a rotating ``log_file`` (replacing an earlier call's file).

    A log file that cannot be opened, or stops taking writes, is given up silently: the command
    still runs, and nothing about logging reaches stderr (a ``NullHandler`` keeps Python's
    last-resort handler from printing records; ``raiseExceptions`` is off).
    """
    global _log_handler
    logging.raiseExceptions = False
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = _QuietLogFile(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None  # ``where`` says why; the command itself does not depend on its log
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_handler = handler
    return handler


def log_file_problem(log_file: Path) -> str | None:
    """Why ``log_file`` cannot be written (None when it can), for ``where``."""
    if faults.writable(log_file):
        free = faults.free_space(log_file)
        if free is not None and free < faults.NEARLY_FULL_BYTES:
            return f"the disk is full: {faults.size_text(free)} free"
        return None
    return "its folder or disk is read-only"


def restore_at_startup(settings: Settings, message: str) -> int:
    """The window's way out of a damaged database: offer to restore a backup (the damaged file is
    set aside beside itself, dated), then open the window on the restored data."""
    from bake_tracker.services import backup_service, database_service
    from bake_tracker.services.errors import DatabaseStartupError, ServiceError

    path = sqlite_path(settings.database_url)
    assert path is not None
    chosen = ask_backup_at_startup(message, path.parent / "backups")
    if not chosen:
        return EXIT_DATABASE
    configure_logging(settings.log_file)
    try:
        info = backup_service.restore_into(
            settings.database_url, chosen, keep=settings.keep_backups
        )
    except ServiceError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        show_startup_error(exc.message)
        return EXIT_DATABASE
    finally:
        database_service.close_database()
    print(f"restored {chosen} into {info.path}")
    if info.damaged_copy is not None:
        print(f"the damaged database was kept as {info.damaged_copy}")
    try:
        return run_gui(settings)
    except DatabaseStartupError as exc:  # not expected: the backup was proved before the copy
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        show_startup_error(exc.message)
        return EXIT_DATABASE


def ask_backup_at_startup(message: str, folder: Path) -> str | None:
    """Show why the database cannot open and ask for a backup to restore (None: not now)."""
    try:
        import tkinter as tk
        from tkinter import filedialog, messagebox
    except ImportError:
        return None
    try:
        root = tk.Tk()
    except tk.TclError:
        return None  # no display: the message (with the command to run) is already on stderr
    root.withdraw()
    try:
        question = f"{message}\n\nRestore a backup now?"
        if not messagebox.askyesno(f"{PROG} could not start", question, parent=root):
            return None
        return (
            filedialog.askopenfilename(
                parent=root,
                title="Restore from Backup",
                initialdir=str(folder) if folder.is_dir() else None,
                filetypes=(("bake-tracker backup", "*.sqlite3"), ("All files", "*")),
            )
            or None
        )
    finally:
        root.destroy()


def show_startup_error(message: str) -> None:
    _show_error_box(f"{PROG} could not start", message)


def _show_error_box(title: str, message: str) -> None:
    """A Tk error box on a hidden root window; without a display there is nothing to show."""
    try:
        import tkinter as tk
        from tkinter import messagebox
    except ImportError:
        return  # Python without Tk: the message is already on stderr
    try:
        root = tk.Tk()
    except tk.TclError:
        return  # no display: the message is already on stderr
    root.withdraw()
    try:
        messagebox.showerror(title, message, parent=root)
    finally:
        root.destroy()
