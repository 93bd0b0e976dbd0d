"""Where bake-tracker keeps its data, resolved once at start-up.

By default the data is one SQLite file in the user's data folder (platformdirs). The
command-line option ``--db PATH`` or the environment variable ``BAKE_TRACKER_DATABASE_URL`` selects
another SQLite file or a PostgreSQL URL.

The window's preferences (its size and place, the appearance) are remembered in a small JSON file
in the same folder (``load_preferences`` / ``save_preferences``); a missing or damaged file means
the defaults, never an error.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "bake-tracker"
DATABASE_URL_ENV = "BAKE_TRACKER_DATABASE_URL"
DATA_DIR_ENV = "BAKE_TRACKER_DATA_DIR"
DATABASE_FILENAME = "bake-tracker.sqlite3"
KEEP_BACKUPS_ENV = "BAKE_TRACKER_KEEP_BACKUPS"
DEFAULT_KEEP_BACKUPS = 10  # automatic backups kept (the user's own are never pruned)
PREFERENCES_FILENAME = "preferences.json"

# Preference keys (values are JSON scalars)
WINDOW_GEOMETRY = "window_geometry"  # the main window's last "WxH+X+Y" (logical size, pixel place)
WINDOW_MAXIMISED = "window_maximised"  # the main window was maximised when it was closed
APPEARANCE = "appearance"  # "System", "Light" or "Dark"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """The resolved locations for one run of the app."""

    data_dir: Path
    log_dir: Path
    database_url: str
    source: str  # "default", "--db" or the environment variable's name: shown in Help ▸ About
    keep_backups: int = DEFAULT_KEEP_BACKUPS  # automatic backups kept, newest first

    @property
    def log_file(self) -> Path:
        return self.log_dir / "bake-tracker.log"

    @property
    def preferences_file(self) -> Path:
        return self.data_dir / PREFERENCES_FILENAME


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of a SQLite file (absolute, so the working directory never matters)."""
    # Built, not formatted: a folder named "Bake Sale #2" or "100%25" must stay that folder.
    from sqlalchemy.engine import URL  # here, not at the top: ``--version`` needs no SQLAlchemy

    return URL.create("sqlite", database=str(Path(path).expanduser().resolve())).render_as_string()


def default_data_dir() -> Path:
    """The per-user data folder; ``BAKE_TRACKER_DATA_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(PlatformDirs(APP_NAME, appauthor=False).user_data_dir)


def load_settings(db_path: str | None = None, env: dict[str, str] | None = None) -> Settings:
    """Resolve settings: ``--db`` beats the environment variable, which beats the default file.

    ``BAKE_TRACKER_KEEP_BACKUPS`` sets how many automatic backups are kept (a whole number of at
    least 1; anything else keeps the default).
    """
    env = os.environ if env is None else env
    data_dir = default_data_dir()
    log_dir = data_dir / "logs"
    keep = keep_backups(env.get(KEEP_BACKUPS_ENV, ""))
    if db_path:
        url = db_path if "://" in db_path else sqlite_url(db_path)
        return Settings(data_dir, log_dir, url, "--db", keep)
    env_url = env.get(DATABASE_URL_ENV, "").strip()
    if env_url:
        return Settings(data_dir, log_dir, env_url, DATABASE_URL_ENV, keep)
    return Settings(data_dir, log_dir, sqlite_url(data_dir / DATABASE_FILENAME), "default", keep)


def keep_backups(text: str) -> int:
    """The number of automatic backups to keep, from a setting's text (default when unusable)."""
    text = text.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 10_000:
        return int(text)
    return DEFAULT_KEEP_BACKUPS


def load_preferences(path: Path) -> dict[str, object]:
    """The remembered preferences; {} when the file is missing or unreadable (defaults apply)."""
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("Preferences %s ignored: %s", path, error)
        return {}
    return values if isinstance(values, dict) else {}


def save_preferences(path: Path, changes: Mapping[str, object]) -> bool:
    """Merge ``changes`` into the preferences file (written whole, then renamed into place).

    A preference that cannot be saved is not worth an error at exit: False, and a log line.
    """
    values = load_preferences(path)
    values.update(changes)
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(values, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        log.warning("Preferences not saved to %s: %s", path, error)
        return False
    return True
