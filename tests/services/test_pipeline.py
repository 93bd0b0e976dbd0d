"""runs.pipeline: a run's writes not waited for one by one (PostgreSQL) still fail as before.

On PostgreSQL a production's and an assembly's writes go in psycopg's pipeline mode: the guarded
draws still refuse a lot drawn meanwhile where they are, and a write whose answer was not waited
for still fails the use case (as SQLAlchemy's own error) and leaves nothing behind; a run's insert
carries the id asked before the draws. On SQLite the same tests hold with the block doing nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, event, text, update
from sqlalchemy.exc import IntegrityError

from bake_tracker import db
from bake_tracker.models import (
    AssemblyRun,
    FinishedUnitLot,
    InventoryItem,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
)
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services.errors import DatabaseBusyError
from bake_tracker.services.runs import event_totals, pipeline
from tests.services.conftest import count_rows


def state(unit_id: int) -> tuple:
    """Everything a production run may touch."""
    return (
        [lot.quantity for lot in inv.get_inventory_items(include_empty=True)],
        fus.get_finished_unit(unit_id).inventory_count,
        count_rows(ProductionRun),
        count_rows(ProductionConsumption),
        count_rows(ProductionConsumptionLot),
        count_rows(FinishedUnitLot),
    )


def test_production_refuses_a_lot_drawn_meanwhile(cookie, monkeypatch):
    """The guarded draw's row count is read where it is sent, inside the pipeline too."""
    recipe, unit = cookie
    real_planned = bps._planned_in_full

    def planned_then_someone_else_draws(session, *args):
        lines = real_planned(session, *args)
        session.execute(update(InventoryItem).values(quantity=D("0.5")))
        return lines

    monkeypatch.setattr(bps, "_planned_in_full", planned_then_someone_else_draws)
    before = state(unit.id)
    with pytest.raises(DatabaseBusyError, match="Nothing was saved"):
        bps.record_batch_production(recipe.id, unit.id, 1, 48)
    assert state(unit.id) == before


def _failing_write(session, *_args) -> None:
    """A write nobody waits for (no RETURNING) that the server refuses: no such event."""
    session.connection().execute(
        text("INSERT INTO event_production_totals (event_id, recipe_id) VALUES (999999, 1)")
    )


def test_a_refused_write_whose_answer_was_not_awaited_fails_the_production(cookie, monkeypatch):
    """Its error comes as SQLAlchemy's IntegrityError (on PostgreSQL when the block reads the
    answers still due) and the run leaves nothing behind."""
    recipe, unit = cookie
    monkeypatch.setattr(event_totals, "count_production", _failing_write)
    before = state(unit.id)
    with pytest.raises(IntegrityError):
        bps.record_batch_production(recipe.id, unit.id, 1, 48)
    assert state(unit.id) == before
    monkeypatch.undo()
    result = bps.record_batch_production(recipe.id, unit.id, 1, 48)  # the connection still works
    assert result.actual_yield == 48 and state(unit.id) != before


def test_a_refused_write_fails_the_assembly(gift_bag, monkeypatch):
    monkeypatch.setattr(event_totals, "count_assembly", _failing_write)
    unit = gift_bag["unit"].id
    before = (fus.get_finished_unit(unit).inventory_count, state(unit))
    with pytest.raises(IntegrityError):
        asv.record_assembly(gift_bag["good"].id, 1)
    assert (fus.get_finished_unit(unit).inventory_count, state(unit)) == before


@pytest.mark.postgresql_only  # psycopg's pipeline mode
def test_writes_are_queued_and_reads_answered_inside_the_block(engine):
    """Inside the block a write without RETURNING is only sent (its row count unknown yet); a
    read, a RETURNING and a write given ANSWER are answered at once."""
    with db.session_scope() as s:
        connection = s.connection()
        connection.exec_driver_sql("CREATE TEMPORARY TABLE pipeline_things (n integer)")
        with pipeline.batched(s):
            queued = connection.exec_driver_sql("INSERT INTO pipeline_things VALUES (1), (2)")
            answered = connection.exec_driver_sql(
                "UPDATE pipeline_things SET n = n + 1", execution_options=pipeline.ANSWER
            )
            returned = connection.exec_driver_sql(
                "INSERT INTO pipeline_things VALUES (5) RETURNING n"
            ).scalar_one()
            counted = connection.exec_driver_sql("SELECT count(*) FROM pipeline_things").scalar()
        assert (queued.rowcount, answered.rowcount, returned, counted) == (-1, 2, 5, 3)
        s.rollback()


@pytest.mark.postgresql_only  # psycopg's pipeline mode
def test_a_reserved_id_is_the_next_one_of_the_table(engine):
    """reserve_id asks for the next value of the table's id sequence: the id an insert without
    one would have taken; the sequence goes on from it."""
    things = Table("pipeline_serial", MetaData(), Column("id", Integer, primary_key=True))
    with db.session_scope() as s:
        connection = s.connection()
        connection.exec_driver_sql("CREATE TEMPORARY TABLE pipeline_serial (id serial PRIMARY KEY)")
        connection.exec_driver_sql("INSERT INTO pipeline_serial DEFAULT VALUES")  # id 1
        with pipeline.batched(s):
            reserved = pipeline.reserve_id(s, things)
            connection.exec_driver_sql("INSERT INTO pipeline_serial VALUES (100)")  # queued
            assert reserved() == 2
            after = connection.exec_driver_sql(
                "INSERT INTO pipeline_serial DEFAULT VALUES RETURNING id"
            ).scalar_one()
        assert after == 3
        s.rollback()


def test_no_id_is_reserved_outside_the_block_or_on_sqlite(engine):
    with db.session_scope() as s:
        assert pipeline.reserve_id(s, ProductionRun.__table__) is None
        with pipeline.batched(s):
            inside = pipeline.reserve_id(s, ProductionRun.__table__)
        assert (inside is None) == (engine.dialect.name == "sqlite")
        s.rollback()


def _run_insert(engine, call) -> tuple[object, str]:
    """(what ``call`` returned, the SQL of the run's insert it sent)."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        if re.match(r"\s*INSERT INTO (production|assembly)_runs ", statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    (sql,) = seen
    return result, sql


def _carries_its_id(engine, sql: str) -> None:
    """On PostgreSQL the run's insert carries the id asked before the draws (no RETURNING to
    wait for); elsewhere it returns its new id."""
    postgresql = engine.dialect.name == "postgresql"
    assert bool(re.search(r"_runs \(id,", sql)) is postgresql
    assert ("RETURNING" in sql) is not postgresql


def test_a_production_carries_its_reserved_id_on_postgresql(engine, cookie):
    recipe, unit = cookie
    first = bps.record_batch_production(recipe.id, unit.id, 1, 48)
    again = lambda: bps.record_batch_production(recipe.id, unit.id, 1, 40)  # noqa: E731
    result, sql = _run_insert(engine, again)
    _carries_its_id(engine, sql)
    assert result.production_run_id == first.production_run_id + 1
    with db.session_scope() as s:
        run = s.get(ProductionRun, result.production_run_id)  # the result names the stored run
        assert (run.recipe_id, run.actual_yield) == (recipe.id, 40)


def test_an_assembly_carries_its_reserved_id_on_postgresql(engine, gift_bag):
    good = gift_bag["good"].id
    first = asv.record_assembly(good, 1)
    result, sql = _run_insert(engine, lambda: asv.record_assembly(good, 2))
    _carries_its_id(engine, sql)
    assert result.assembly_run_id == first.assembly_run_id + 1
    with db.session_scope() as s:
        run = s.get(AssemblyRun, result.assembly_run_id)
        assert (run.finished_good_id, run.quantity_assembled) == (good, 2)


@pytest.mark.postgresql_only  # psycopg's pipeline mode
def test_a_statement_after_the_block_reads_its_answers_first(engine):
    """A caller's session going on after a block: the queued writes' answers are read before the
    next statement is sent (it sees them; a refused one is raised there, nothing committed)."""
    with db.session_scope() as s:
        connection = s.connection()
        connection.exec_driver_sql("CREATE TEMPORARY TABLE pipeline_after (n integer)")
        with pipeline.batched(s):
            connection.exec_driver_sql("INSERT INTO pipeline_after VALUES (1), (2)")  # queued
        counted = connection.exec_driver_sql("SELECT count(*) FROM pipeline_after").scalar()
        assert counted == 2
        s.rollback()
    with pytest.raises(IntegrityError), db.session_scope() as s:
        with pipeline.batched(s):
            _failing_write(s)  # queued, refused
        s.connection().exec_driver_sql("SELECT 1")
    with db.session_scope() as s:  # the pool's connection still works
        assert s.connection().exec_driver_sql("SELECT 1").scalar() == 1


def _protocol_of(engine, call) -> list[str]:
    """The client's protocol messages (libpq trace) while ``call`` runs, one per line."""
    import os
    import tempfile

    from psycopg import pq

    with tempfile.TemporaryFile("w+") as trace:

        def start(dbapi_connection, *_args) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

        def stop(dbapi_connection, *_args) -> None:
            dbapi_connection.pgconn.untrace()

        event.listen(engine, "checkout", start)
        event.listen(engine, "checkin", stop)
        try:
            call()
        finally:
            event.remove(engine, "checkout", start)
            event.remove(engine, "checkin", stop)
        os.fsync(trace.fileno())
        trace.seek(0)
        fields = [line.split("\t") for line in trace.read().splitlines()]
        return [" ".join(f[2:]) for f in fields if f[0] == "F"]  # F <length> <type> <fields>


@pytest.mark.postgresql_only  # psycopg's pipeline mode
def test_the_commit_is_sent_with_the_last_writes(engine, cookie, gift_bag):
    """A production's and an assembly's COMMIT is queued behind their last writes and answered
    by the same sync (no COMMIT sent on its own after them)."""
    recipe, unit = cookie
    for call in (
        lambda: bps.record_batch_production(recipe.id, unit.id, 1, 48),
        lambda: asv.record_assembly(gift_bag["good"].id, 1),
    ):
        sent = _protocol_of(engine, call)
        commits = [i for i, message in enumerate(sent) if '"COMMIT"' in message]
        assert len(commits) == 1, sent
        assert sent[commits[0]].startswith("Parse"), sent[commits[0]]  # in the pipeline
        after = [message.split(" ")[0] for message in sent[commits[0] + 1 :]]
        # then only the sync that reads every answer (and psycopg's flush request as it waits)
        assert after.count("Sync") == 1 and set(after) <= {
            "Bind",
            "Describe",
            "Execute",
            "Sync",
            "Flush",
        }, after
