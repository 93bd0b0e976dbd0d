"""PostgreSQL for the benchmark: a local server the bench starts itself, each data set loaded once.

The server is the one CI starts (``.ci/postgres start``) on the bench's own port and folder
(``BT_BENCH_PG_PORT``, default 54344; ``BT_BENCH_PG_DIR``, default ``/tmp/bt-bench-pg``), with
PostgreSQL's durable defaults (``fsync``, ``synchronous_commit`` on): the figures include the
durability the app relies on. It is left running between benchmark runs (``python -m bench.pg
stop`` stops it).

A data set is loaded into a database ``bench_<name>`` the app's own way: migrated to head, then
``transfer_service.import_data`` of the SQLite data set's export (checked: every row added). Its
stamp is kept beside the cluster, so the load happens again only when the data set changes. Every
group of operations then works on a fresh ``CREATE DATABASE ... TEMPLATE bench_<name>`` copy, as the
SQLite runs work on fresh file copies.

A loaded set is vacuumed and analyzed (``VACUUM (ANALYZE)``) before it is first copied: what a
server's autovacuum does to a freshly loaded table within a minute or so (its insert threshold),
done at once so that no figure depends on whether autovacuum came by first. Without it a run soon
after a load measured tables whose visibility map was still empty, every "index-only" scan
fetching its rows from the table: the dashboard's price read on ``big10`` fetched 1,596 rows
so (18,147 buffers against 16,548; 28 ms against 13 ms under EXPLAIN ANALYZE) at ``4bc113f``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from bake_tracker import db
from bake_tracker.services import transfer_service
from bench import REPO_DIR
from bench.datasets import same_data
from bench.generate import dataset_path

PG_DIR = Path(os.environ.get("BT_BENCH_PG_DIR", "/tmp/bt-bench-pg"))
PG_PORT = int(os.environ.get("BT_BENCH_PG_PORT", "54344"))
# The bench loads a data set with the app's import while its export fits the app's import limit
# (``transfer.read.MAX_FILE_BYTES``, 512 MB: the ×1 sets, 0.75 million rows, export to ~250 MB).
IMPORT_ROWS = 1_500_000
SERVER_OPTIONS = "-c max_connections=50 -c shared_buffers=256MB"  # durable defaults otherwise


def installed() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


def url(database: str = "postgres") -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/{database}"


def _script(action: str) -> None:
    env = dict(
        os.environ, BT_PG_DIR=str(PG_DIR), BT_PG_PORT=str(PG_PORT), BT_PG_OPTS=SERVER_OPTIONS
    )
    subprocess.run(
        ["bash", str(REPO_DIR / ".ci" / "postgres"), action],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start() -> None:
    _script("start")


def stop() -> None:
    _script("stop")


def _admin():
    return create_engine(url(), isolation_level="AUTOCOMMIT")


def drop(name: str) -> None:
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def create(name: str, template: str | None = None) -> str:
    """A new database ``name`` (a copy of ``template`` when given, on disk: ``_copy_clause``);
    returns its URL."""
    drop(name)
    admin = _admin()
    try:
        with admin.connect() as conn:
            copy = _copy_clause(conn, template) if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        admin.dispose()
    return url(name)


def _copy_clause(conn, template: str) -> str:
    """A template copy made file by file and fsynced before ``CREATE DATABASE`` returns
    (``STRATEGY FILE_COPY``, PostgreSQL 15+; what older servers always do), as the SQLite copies
    are fsynced (``run.on_disk``): the first operations on a copy are timed at once. PostgreSQL
    15's default, ``WAL_LOG``, writes the copy through the WAL (1.8 GB for ``big10``, 188 MB for
    ``big``): two or three checkpoints on a ×10 copy, the last still writing (7,000–15,500
    buffers) during every ×10 row's timed calls and none during a ×1 row's, a load on the disk
    and the 2 cores that only the ×10 side of the growth ratio carried. A user's database,
    written as the app goes, never carries its own copy's write-back. ``BT_BENCH_NO_FSYNC=1``
    keeps the default, to compare."""
    version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
    on_disk = version >= 150000 and not os.environ.get("BT_BENCH_NO_FSYNC")
    strategy = " STRATEGY FILE_COPY" if on_disk else ""
    return f' TEMPLATE "{template}"{strategy}'


def _stamp_file(dataset: str) -> Path:
    return PG_DIR.parent / f"{PG_DIR.name}-{dataset}.stamp"


def ensure_loaded(dataset: str, meta: dict, log=print) -> str:
    """The template database holding ``dataset`` (loaded now if missing or stale)."""
    start()
    name = f"bench_{dataset}"
    stamp_file = _stamp_file(dataset)
    loaded = stamp_file.read_text() if stamp_file.is_file() else ""
    if loaded == meta["stamp"]:
        return name
    if same_data(loaded, meta["stamp"]):  # the same rows, an older schema: migrate in place
        log(f"upgrading {name} to migration {db.head_revision()} ...")
        engine = db.make_engine(url(name))
        try:
            db.upgrade_to_head(engine)
        finally:
            engine.dispose()
        stamp_file.write_text(meta["stamp"])
        return name
    stamp_file.unlink(missing_ok=True)
    if sum(meta["counts"].values()) > IMPORT_ROWS:
        log(f"copying the {dataset} data set into PostgreSQL ({name}) table by table ...")
        _copy_tables(dataset, name)
        stamp_file.write_text(meta["stamp"])
        return name
    log(f"loading the {dataset} data set into PostgreSQL ({name}) ...")
    with tempfile.TemporaryDirectory() as scratch:
        document = Path(scratch) / "export.json"
        source = db.make_engine(f"sqlite:///{dataset_path(dataset)}")
        try:
            db.bind_engine(source)
            transfer_service.export_data(document)
        finally:
            source.dispose()
        target = db.make_engine(create(name))
        try:
            db.upgrade_to_head(target)
            db.bind_engine(target)
            result = transfer_service.import_data(document)
            _vacuum(name)
        finally:
            target.dispose()
    if result.errors:
        raise RuntimeError(f"loading {dataset} into PostgreSQL failed: {result.errors[:3]}")
    missing = {k: n for k, n in meta["counts"].items() if result.added.get(k) != n}
    if missing:
        raise RuntimeError(f"loading {dataset} into PostgreSQL lost rows: {missing}")
    stamp_file.write_text(meta["stamp"])
    return name


VACUUM = "VACUUM (ANALYZE)"  # module docstring


def _vacuum(name: str) -> None:
    """``VACUUM (ANALYZE)`` the database ``name``, on a plain autocommit connection (VACUUM runs
    outside a transaction; the app's engine begins one on every checkout)."""
    engine = create_engine(url(name), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(VACUUM)
    finally:
        engine.dispose()


def _copy_tables(dataset: str, name: str) -> None:
    """Load a data set too big for ``import_data`` (the ×10 sets: 7.4 million rows, a 2.4 GB
    export, past the app's 512 MB import limit, and ~15 GB of memory to import): the migrated
    schema, then every table's rows as SQLite holds them (same ids, same stored integers and
    timestamps; stored totals included), checked against the data set's row counts, then the
    id sequences moved past the copied ids and ``VACUUM (ANALYZE)``, as after the bench's
    imports."""
    import sqlite3

    import psycopg

    engine = db.make_engine(create(name))
    try:
        db.upgrade_to_head(engine)
    finally:
        engine.dispose()
    source = sqlite3.connect(f"file:{dataset_path(dataset)}?immutable=1", uri=True)
    target = psycopg.connect(f"host=127.0.0.1 port={PG_PORT} user=postgres dbname={name}")
    try:
        target.execute("SET session_replication_role = replica")  # rows are consistent already
        tables = [
            row[0]
            for row in target.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'"
            )
        ]
        for table in tables:
            columns = [
                row[0]
                for row in target.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "'public' AND table_name = %s ORDER BY ordinal_position",
                    (table,),
                )
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            with target.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
                for row in source.execute(f'SELECT {listed} FROM "{table}"'):
                    copy.write_row(row)
            (copied,) = target.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            (held,) = source.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            if copied != held:
                raise RuntimeError(f"copying {dataset}.{table}: {copied} rows of {held}")
            if "id" in columns:
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false) '
                    f"WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
                )
        target.commit()
        target.autocommit = True
        target.execute(VACUUM)
    finally:
        target.close()
        source.close()


def main(argv: list[str] | None = None) -> int:
    action = (argv or sys.argv[1:] or ["start"])[0]
    {"start": start, "stop": stop}[action]()
    print(f"PostgreSQL for the bench: {action} ({url()}, {PG_DIR})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
