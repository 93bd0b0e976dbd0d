"""The generated data sets as the runner uses them: built when missing, migrated when only the
schema moved on.

A data set's stamp (``bench.generate.stamp``) names the generator's source, the scale and the
migration head it was built at. When only the head differs, the rows are the same ones and the
file is brought to the head in place with the app's own migrations (minutes saved per data set on
a 2-core machine, and a new index is measured on exactly the rows measured before it).
"""

from __future__ import annotations

import fcntl
import json
import shutil
from pathlib import Path

from bake_tracker import db
from bench import DATA_DIR
from bench.generate import SCALES, _finalize, dataset_path, generate, load_meta, stamp


def write_meta(path: Path, meta: dict) -> None:
    """The stamp file beside the data set, written whole and renamed into place: a reader never
    sees half of it, and a hard link to the old one (another checkout's) keeps the old one.
    (``generate.generate`` still writes its own in place: changing it changes every stamp.)"""
    meta_path = path.with_suffix(".json")
    partial = meta_path.with_name(meta_path.name + ".part")
    partial.write_text(json.dumps(meta, indent=2) + "\n")
    partial.replace(meta_path)


def same_data(old: str, new: str) -> bool:
    """Stamps that differ only in the migration head: the same rows, an older schema."""
    old_parts, new_parts = old.split("-"), new.split("-")
    if not len(old_parts) == len(new_parts) == 4:
        return False
    return old_parts[:2] + old_parts[3:] == new_parts[:2] + new_parts[3:]


def ensure(scale_name: str, *, force: bool = False, log=print) -> dict:
    """The data set's stamp file contents: generated when missing or stale, upgraded in place
    when only the migration head changed."""
    scale = SCALES[scale_name]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Several benchmark runs may start at once; one builds, the others wait and reuse its file.
    with open(DATA_DIR / f".{scale_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta = load_meta(scale_name)
        if meta is not None and not force:
            if meta.get("stamp") == stamp(scale):
                return meta
            if same_data(meta.get("stamp", ""), stamp(scale)):
                return upgrade(scale_name, meta, log=log)
        return generate(scale, log=log)


def upgrade(scale_name: str, meta: dict, *, log=print) -> dict:
    """Bring a generated file to the migration head in place (the migrations keep every row)."""
    path = dataset_path(scale_name)
    log(f"upgrading {path} to migration {db.head_revision()} ...")
    # on a copy, renamed over the file: a data set hard-linked into another checkout (a git
    # worktree) keeps that checkout's schema and stamp instead of being migrated under it
    partial = path.with_name(path.name + ".part")
    shutil.copyfile(path, partial)
    engine = db.make_engine(f"sqlite:///{partial}")
    try:
        db.upgrade_to_head(engine)
    finally:
        engine.dispose()
    _finalize(partial)
    partial.replace(path)
    meta = {**meta, "stamp": stamp(SCALES[scale_name])}
    write_meta(path, meta)
    return meta
