"""Opening the database and moving data in and out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class DatabaseInfo:
    """What was opened at start-up, for the status bar and Help ▸ About."""

    url: str  # with any password hidden
    backend: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file, None for a server
    revision: str
    migrated_from: str | None  # the revision before start-up migrations, when any ran
    backup_path: Path | None  # the pre-migration copy, when one was made
    read_only: bool = False  # a SQLite file that cannot be written: opened for reading only
    safety_copy: Path | None = None  # after a restore: the copy of the data it replaced
    damaged_copy: Path | None = None  # after a restore: the damaged file, set aside beside it


@dataclass(frozen=True)
class BackupEntry:
    """One backup in the backups folder, for the restore lists (newest first)."""

    path: Path
    taken_at: datetime  # from the date-time in its name (the file's time when it has none)
    kind: str  # "manual", "daily", "before restore", "before import" or "before migration"
    size: int  # bytes

    @property
    def automatic(self) -> bool:
        """Made by the app itself (of these, only the ``-auto-`` copies are pruned)."""
        return self.kind != "manual"


@dataclass(frozen=True)
class ImportResult:
    """Rows added and skipped per section, and every problem found (nothing written if any).

    ``skip_reasons`` says why each skipped row was skipped: section → reason → how many;
    ``notes``, what the import changed in rows it added (say, products added as not preferred
    because their ingredient already has a preferred one).
    """

    added: dict[str, int]
    skipped: dict[str, int]
    errors: list[str]
    skip_reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class HistoryImportResult:
    imported: int
    skipped: int
    errors: list[str]
