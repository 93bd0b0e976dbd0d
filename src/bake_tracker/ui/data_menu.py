"""The window's data actions: File ▸ Import, Export (the data, an event's cost report, the
production, assembly and recipient history), Print… (``ui.printing``), Backup, Restore, Load
Sample Data, Tools ▸ Check Data, and the first-start offer of the sample season.

``DataMenu`` adds its entries to the App's menus and binds Ctrl+I, Ctrl+E, Ctrl+B and Ctrl+P. Every
job that reads or writes the whole database runs through ``App.run_in_background`` (a progress
dialog, the window stays responsive); file choices and confirmations go through the App's one-line
hooks (``ask_open_path``, ``ask_save_path``, ``ask_confirm``) so tests can answer them. An import
that finds problems writes nothing and lists every problem in an ``ErrorListDialog``
(``data_dialogs``).
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bake_tracker.services import (
    backup_service,
    event_service,
    report_files,
    sample_data_service,
)
from bake_tracker.services.dto import BackupEntry, DatabaseInfo, EventDTO, ImportResult
from bake_tracker.services.errors import ImportVersionError, ServiceError, ValidationError
from bake_tracker.ui.data_dialogs import (
    REPLACE,
    ErrorListDialog,
    EventChoiceDialog,
    ImportModeDialog,
    RestoreDialog,
)
from bake_tracker.ui.kit.keyboard import shortcut_keys

if TYPE_CHECKING:
    from bake_tracker.ui.app import App

log = logging.getLogger("bake_tracker.ui")

IMPORT_LABEL = "Import Data…"
EXPORT_LABEL = "Export Data…"
COST_REPORT_LABEL = "Export Cost Report…"
PRODUCTION_HISTORY_LABEL = "Export Production History…"
ASSEMBLY_HISTORY_LABEL = "Export Assembly History…"
RECIPIENT_HISTORY_LABEL = "Export Recipient History…"
BACKUP_LABEL = "Backup Now"
RESTORE_LABEL = "Restore from Backup…"
PRINT_LABEL = "Print…"
SAMPLE_LABEL = "Load Sample Data…"
CHECK_LABEL = "Check Data"
JOB_LABELS = (
    IMPORT_LABEL,
    EXPORT_LABEL,
    COST_REPORT_LABEL,
    PRODUCTION_HISTORY_LABEL,
    ASSEMBLY_HISTORY_LABEL,
    PRINT_LABEL,
    RECIPIENT_HISTORY_LABEL,
    BACKUP_LABEL,
    RESTORE_LABEL,
    SAMPLE_LABEL,
)

JSON_TYPES = (("bake-tracker export", "*.json"), ("All files", "*"))
CSV_TYPES = (("CSV spreadsheet", "*.csv"), ("All files", "*"))
HISTORY_TYPES = (("CSV spreadsheet", "*.csv"), ("History (JSON)", "*.json"), ("All files", "*"))
BACKUP_TYPES = (("bake-tracker backup", "*.sqlite3 *.json"), ("All files", "*"))
DECLINED_FILE = "first-start-declined"

FIRST_START_QUESTION = (
    "Your bake-tracker is empty. Load a sample holiday season to look around? "
    "You can delete it later or start from scratch."
)
SAMPLE_QUESTION = (
    "Load the sample holiday season? It adds a pantry, recipes, finished goods, packages, "
    "recipients and two events with some production already recorded."
)
SAMPLE_NOT_EMPTY = "The sample season can only be loaded into an empty database."
SAMPLE_LOADED = "Sample season loaded"
EVERYTHING_ADDS_UP = (
    "Everything adds up: pantry lots, finished stock, stock counts and run totals all balance."
)
NOTHING_IMPORTED = "Nothing was imported"
NOTHING_RESTORED = "Nothing was restored"


def default_export_name(today: date | None = None) -> str:
    """``bake-tracker-YYYY-MM-DD.json`` for today."""
    return f"bake-tracker-{(today or date.today()).isoformat()}.json"


def count_records(document: Mapping[str, Any]) -> int:
    """How many records an export document holds (every list section)."""
    return sum(len(rows) for rows in document.values() if isinstance(rows, list))


def describe_counts(counts: Mapping[str, int]) -> str:
    """``"14 ingredients, 20 products"`` for the sections with a count (section names spelt out)."""
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def transfer() -> ModuleType:
    """``transfer_service``, imported at the first import or export, not with the window (it
    brings the whole import and export machinery: ~10 ms of every start otherwise)."""
    from bake_tracker.services import transfer_service

    return transfer_service


def import_after_backup(path: Path, mode: str, keep: int) -> ImportResult:
    """The automatic backup before an import, then the import (one background job)."""
    backup_service.refuse_read_only("import")
    backup_service.automatic_backup(backup_service.BEFORE_IMPORT, keep=keep)
    return transfer().import_data(path, mode=mode)


class DataMenu:
    """The data actions of one ``App``: menu entries, shortcuts and their follow-up dialogs."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.file_menu: tk.Menu | None = None
        self.import_dialog: ImportModeDialog | None = None
        self.error_dialog: ErrorListDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.event_dialog: EventChoiceDialog | None = None

    # --- menus and keys -----------------------------------------------------------------------

    def add_file_entries(self, menu: tk.Menu) -> None:
        """Import/Export, Backup/Restore and Load Sample Data, each group closed by a separator."""
        self.file_menu = menu
        menu.add_command(label=IMPORT_LABEL, accelerator="Ctrl+I", command=self.on_import)
        menu.add_command(label=EXPORT_LABEL, accelerator="Ctrl+E", command=self.on_export)
        menu.add_command(label=COST_REPORT_LABEL, command=self.on_cost_report)
        menu.add_command(
            label=PRODUCTION_HISTORY_LABEL,
            command=lambda: self.on_history(report_files.PRODUCTION),
        )
        menu.add_command(
            label=ASSEMBLY_HISTORY_LABEL, command=lambda: self.on_history(report_files.ASSEMBLY)
        )
        menu.add_command(label=RECIPIENT_HISTORY_LABEL, command=self.on_recipient_history)
        menu.add_separator()
        menu.add_command(
            label=PRINT_LABEL, accelerator="Ctrl+P", command=lambda: self.app.open_print_dialog()
        )
        menu.add_separator()
        menu.add_command(label=BACKUP_LABEL, accelerator="Ctrl+B", command=self.on_backup)
        menu.add_command(label=RESTORE_LABEL, command=self.on_restore)
        menu.add_separator()
        menu.add_command(label=SAMPLE_LABEL, command=self.on_load_sample)
        menu.add_separator()
        menu.configure(postcommand=self.update_menu_state)

    def add_tools_entries(self, menu: tk.Menu) -> None:
        menu.add_command(label=CHECK_LABEL, command=self.on_check)

    def bind_keys(self) -> None:
        """Ctrl+I import, Ctrl+E export, Ctrl+B backup, Ctrl+P print (either case)."""
        for letter, command in (
            ("i", self.on_import),
            ("e", self.on_export),
            ("b", self.on_backup),
            ("p", self.app.open_print_dialog),
        ):
            for key in shortcut_keys(self.app, letter):  # Command+letter on macOS too
                self.app.bind(key, lambda _event, run=command: self._from_key(run))

    def _from_key(self, command: Callable[[], None]) -> str:
        command()
        return "break"

    def update_menu_state(self) -> None:
        """Grey the job entries while a job runs; Load Sample Data only for an empty database."""
        if self.file_menu is None or self.app.closed:
            return
        idle = not self.app.busy
        for label in JOB_LABELS:
            enabled = idle and (label != SAMPLE_LABEL or self.database_is_empty())
            self.file_menu.entryconfigure(label, state="normal" if enabled else "disabled")

    def database_is_empty(self) -> bool:
        try:
            return sample_data_service.is_empty()
        except ServiceError:
            return False

    # --- import -------------------------------------------------------------------------------

    def on_import(self) -> None:
        """Choose a file, then Merge or Replace, then import it in the background."""
        if self.app.busy:
            return
        chosen = self.app.ask_open_path("Import Data", JSON_TYPES)
        if not chosen:
            return
        path = Path(chosen)
        self.import_dialog = ImportModeDialog(
            self.app,
            path,
            confirm_replace=self._confirm_replace,
            on_done=lambda mode: self.start_import(path, mode),
        )

    def _confirm_replace(self, path: Path) -> bool:
        return self.app.ask_confirm(
            f"Replace everything with {path.name}?\n\nAll ingredients, recipes, stock, events "
            "and history now in bake-tracker will be deleted and replaced by the file's contents. "
            "Use Backup Now first if you may want them back."
        )

    def start_import(self, path: Path, mode: str) -> None:
        """Import ``path`` in the background (``mode`` is merge or replace), after an automatic
        backup of the current data (SQLite; a copy that cannot be made stops the import)."""
        self.run(
            partial(import_after_backup, path, mode, self.app.settings.keep_backups),
            partial(self._imported, path, mode),
            partial(self._import_refused, path),
            message=f"Importing {path.name}…",
        )

    def _imported(self, path: Path, mode: str, result: ImportResult) -> None:
        if result.errors:
            self.show_problems(
                NOTHING_IMPORTED, self._import_intro(path, result.errors), result.errors
            )
            self.app.set_status(f"Nothing was imported from {path.name}.")
            return
        added, skipped = sum(result.added.values()), sum(result.skipped.values())
        self.app.refresh_all()
        status = f"Imported {plural(added, 'record')} from {path.name}"
        self.app.set_status(
            status + (f" ({skipped} already there were skipped)." if skipped else ".")
        )
        self.app.show_info("Import finished", self._import_summary(path, mode, result))

    @staticmethod
    def _import_intro(path: Path, problems: Sequence[str]) -> str:
        count = len(problems)
        if problems and problems[-1].startswith("… and "):  # "… and 12 more problems"
            count += int(problems[-1].split()[2].replace(",", "")) - 1
        return (
            f"{path.name} has {plural(count, 'problem')}, so nothing was imported and your "
            "data is unchanged. Each is listed with the record, the field and what to do; fix "
            "them in the file and import it again."
        )

    @staticmethod
    def _import_summary(path: Path, mode: str, result: ImportResult) -> str:
        """What was added and what was skipped, section by section, with the reason for each
        skip (``transfer_service.import_report``)."""
        added = sum(result.added.values())
        how = "replaced your data" if mode == REPLACE else "was merged into your data"
        lines = [f"{path.name} {how}.", "", f"Added {plural(added, 'record')}."]
        if added:
            lines.append(describe_counts(result.added) + ".")
        report = transfer().import_report(result)
        return "\n".join([*lines, "", *report[1:]])

    def _import_refused(self, path: Path, error: BaseException) -> None:
        if isinstance(error, ImportVersionError):
            problems = [self._version_problem(path, error)]
        else:
            problems = self._problems_of(error)
        self.show_problems(NOTHING_IMPORTED, self._import_intro(path, problems), problems)

    @staticmethod
    def _version_problem(path: Path, error: ImportVersionError) -> str:
        if isinstance(error.version, int):
            return (
                f"{path.name} was written in format version {error.version}, which this version "
                "of bake-tracker cannot read. Update bake-tracker and try again."
            )
        return f"{path.name} is not a bake-tracker export ({error.message})."

    @staticmethod
    def _problems_of(error: BaseException) -> list[str]:
        if isinstance(error, ValidationError) and error.errors:
            return list(error.errors)
        return [str(error)]

    # --- export and backup --------------------------------------------------------------------

    def on_export(self) -> None:
        """Choose where to save, then write the whole database as one JSON file."""
        if self.app.busy:
            return
        chosen = self.app.ask_save_path("Export Data", default_export_name(), JSON_TYPES)
        if not chosen:
            return
        path = Path(chosen)
        self.run(
            partial(transfer().export_data, path),
            partial(self._exported, path),
            partial(self._write_failed, "Export failed", path),
            message=f"Exporting to {path.name}…",
            expected=(ServiceError, OSError),
        )

    def _exported(self, path: Path, document: Mapping[str, Any]) -> None:
        self.app.set_status(f"Exported {plural(count_records(document), 'record')} to {path}")

    def _write_failed(self, title: str, path: Path, error: BaseException) -> None:
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            self.app.show_error(title, f"Could not write {path}:\n{reason}")
        else:
            self.app.show_error(title, str(error))

    def on_history(self, kind: str) -> None:
        """Production history (CSV, or JSON to import elsewhere) or assembly history (JSON)."""
        if self.app.busy:
            return
        today = date.today().isoformat()
        production = kind == report_files.PRODUCTION
        chosen = self.app.ask_save_path(
            f"Export {kind.title()} History",
            f"{kind}-history-{today}.{'csv' if production else 'json'}",
            HISTORY_TYPES if production else JSON_TYPES,
        )
        if not chosen:
            return
        path = Path(chosen)
        self.run(
            partial(report_files.export_history, path, kind=kind),
            lambda runs: self.app.set_status(f"Exported {plural(runs, f'{kind} run')} to {path}"),
            partial(self._write_failed, "Export failed", path),
            message=f"Exporting {kind} history to {path.name}…",
            expected=(ServiceError, OSError),
        )

    def on_recipient_history(self) -> None:
        """Every recipient's packages at every event (status, delivery), as one CSV file."""
        if self.app.busy:
            return
        name = f"recipient-history-{date.today().isoformat()}.csv"
        chosen = self.app.ask_save_path(
            "Export Recipient History", name, CSV_TYPES, defaultextension=".csv"
        )
        if not chosen:
            return
        path = Path(chosen)
        self.run(
            partial(transfer().export_recipient_history_csv, path),
            lambda _path: self.app.set_status(f"Recipient history saved to {path}"),
            partial(self._write_failed, "Export failed", path),
            message=f"Exporting the recipient history to {path.name}…",
            expected=(ServiceError, OSError),
        )

    def on_cost_report(self) -> None:
        """Choose an event, then where to save its planned vs actual cost per recipe (CSV)."""
        if self.app.busy:
            return
        events = event_service.list_events_for_picker()
        if not events:
            self.app.show_info("Export Cost Report", "There are no events yet.")
            return
        self.event_dialog = EventChoiceDialog(
            self.app,
            events,
            title="Export Cost Report",
            heading="Cost report: planned vs actual cost per recipe",
            on_done=self.save_cost_report,
        )

    def save_cost_report(self, event: EventDTO) -> None:
        name = f"cost-report-{event.name}-{event.year}.csv".replace("/", "-").replace(" ", "-")
        chosen = self.app.ask_save_path("Export Cost Report", name, CSV_TYPES)
        if not chosen:
            return
        path = Path(chosen)
        self.run(
            partial(report_files.export_cost_report, event.id, path),
            lambda _path: self.app.set_status(f"Cost report of {event.label} saved to {path}"),
            partial(self._write_failed, "Export failed", path),
            message=f"Writing the cost report to {path.name}…",
            expected=(ServiceError, OSError),
        )

    def on_backup(self) -> None:
        """Copy the database into the backups folder now."""
        if self.app.busy:
            return
        self.run(
            backup_service.backup_database,
            self._backed_up,
            message="Backing up your data…",
            error_title="Backup failed",
        )

    def _backed_up(self, path: Path) -> None:
        self.app.set_status(f"Backup saved to {path}")
        self.app.show_info("Backup saved", f"A copy of your data was saved to:\n\n{path}")

    # --- restore ------------------------------------------------------------------------------

    def on_restore(self) -> None:
        """Choose a backup (the backups folder's, newest first, or any file), confirm, then
        replace the database with it (a copy of the current data is saved first)."""
        if self.app.busy:
            return
        backups = self.list_backups()
        if not backups:  # nothing to list: straight to the file dialog
            chosen = self._choose_backup_file()
            if chosen and self._confirm_restore(Path(chosen)):
                self.start_restore(Path(chosen))
            return
        self.restore_dialog = RestoreDialog(
            self.app,
            backups,
            folder=self.backups_folder(),
            choose_other=self._choose_backup_file,
            confirm=self._confirm_restore,
            on_done=self.start_restore,
        )

    def list_backups(self) -> list[BackupEntry]:
        try:
            return backup_service.list_backups()
        except (ServiceError, OSError):
            return []

    def _choose_backup_file(self) -> str | None:
        # The file dialog opens in the backups folder, where Backup Now saves.
        return (
            self.app.ask_open_path("Restore from Backup", BACKUP_TYPES, self.backups_folder())
            or None
        )

    def _confirm_restore(self, path: Path) -> bool:
        return self.app.ask_confirm(
            f"Restore {path.name}?\n\nEverything now in bake-tracker will be replaced by the data "
            f"in this backup. A safety copy of the current data is saved first, in "
            f"{self.backups_folder()}."
        )

    def start_restore(self, path: Path) -> None:
        """Restore ``path`` in the background."""
        folder = self.backups_folder()
        self.run(
            partial(backup_service.restore_backup, path, keep=self.app.settings.keep_backups),
            partial(self._restored, path, folder),
            partial(self._restore_refused, path),
            message=f"Restoring {path.name}…",
            expected=(ServiceError, OSError),
        )

    def backups_folder(self) -> str:
        """Where backups (and the safety copy before a restore) are saved."""
        try:
            return str(backup_service.backups_folder())
        except ServiceError:
            return "the backups folder"

    def _restored(self, path: Path, folder: str, info: DatabaseInfo) -> None:
        self.app.database = info
        self.app.refresh_all()
        if info.damaged_copy is not None:
            saved = f"The damaged database was kept as {info.damaged_copy}."
        elif info.safety_copy is not None:
            saved = f"The data it replaced was saved as {info.safety_copy}."
        else:
            saved = f"The data it replaced was saved as a safety copy in {folder}."
        self.app.set_status(f"Restored {path.name}. {saved}")

    def _restore_refused(self, path: Path, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.app.show_error("Restore failed", f"Could not restore {path.name}:\n{error}")
            return
        problems = self._problems_of(error)
        intro = f"{path.name} could not be restored; your data is unchanged."
        self.show_problems(NOTHING_RESTORED, intro, problems)

    # --- sample data --------------------------------------------------------------------------

    def on_load_sample(self) -> None:
        """Load the sample season into an empty database, after a confirmation."""
        if self.app.busy:
            return
        if not self.database_is_empty():
            self.app.show_info("Load Sample Data", SAMPLE_NOT_EMPTY)
            return
        if self.app.ask_confirm(SAMPLE_QUESTION):
            self.load_sample()

    def load_sample(self) -> None:
        self.run(
            sample_data_service.load_sample_data,
            self._sample_loaded,
            message="Loading the sample holiday season…",
            error_title="Could not load the sample season",
        )

    def _sample_loaded(self, made: Mapping[str, int]) -> None:
        self.app.refresh_all()
        self.app.set_status(f"{SAMPLE_LOADED}: {describe_counts(made)}.")

    def offer_sample_data(self) -> None:
        """First start: offer the sample season once per empty database (a No is remembered)."""
        if self.app.closed or self.app.busy or self.declined_before():
            return
        if not self.database_is_empty():
            return
        if self.app.ask_confirm(FIRST_START_QUESTION):
            self.load_sample()
        else:
            self.remember_declined()

    def declined_file(self) -> Path:
        return self.app.settings.data_dir / DECLINED_FILE

    def declined_before(self) -> bool:
        """True when the user said No to the first-start offer for this database."""
        try:
            lines = self.declined_file().read_text(encoding="utf-8").splitlines()
        except OSError:  # not there yet (or unreadable): ask
            return False
        return self.app.database_location() in lines

    def remember_declined(self) -> None:
        path = self.declined_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(self.app.database_location() + "\n")
        except OSError as error:
            log.warning("could not remember the declined sample offer in %s: %s", path, error)

    # --- check --------------------------------------------------------------------------------

    def on_check(self) -> None:
        """Tools ▸ Check Data: does every lot, stock count and run total still add up?"""
        if self.app.busy:
            return
        from bake_tracker.services import integrity_service  # at the first check, not at start

        self.run(
            integrity_service.check_invariants,
            self._checked,
            message="Checking that every figure adds up…",
            error_title="Check Data failed",
        )

    def _checked(self, drifts: Sequence[Any]) -> None:
        if not drifts:
            self.app.set_status("Check Data: everything adds up.")
            self.app.show_info("Check Data", EVERYTHING_ADDS_UP)
            return
        problems = [drift.describe() for drift in drifts]
        intro = (
            f"{plural(len(problems), 'figure')} did not add up. Nothing was changed; the list "
            "shows each figure and the value it should have."
        )
        self.app.set_status(f"Check Data: {plural(len(problems), 'figure')} did not add up.")
        self.show_problems("Some figures do not add up", intro, problems)

    # --- shared -------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        error_title: str = "That did not work",
        **options: Any,
    ) -> bool:
        """``App.run_in_background`` with the job entries greyed while it runs; a refusal without
        ``on_error`` is shown under ``error_title``."""
        if on_error is None:
            on_error = partial(self._show_refusal, error_title)
        started = self.app.run_in_background(
            fn, self._then(on_done), self._then(on_error), **options
        )
        self.update_menu_state()
        return started

    def _then(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback`` preceded by re-enabling the menu entries."""

        def finish(value: Any) -> None:
            self.update_menu_state()
            callback(value)

        return finish

    def _show_refusal(self, title: str, error: BaseException) -> None:
        self.app.show_error(title, str(error))

    def show_problems(self, title: str, intro: str, problems: Iterable[str]) -> None:
        """Open the scrollable list of problems (kept as ``error_dialog`` for tests)."""
        self.error_dialog = ErrorListDialog(self.app, title=title, intro=intro, problems=problems)
