"""The database layer: connection settings, transactions, and exact column types."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from bake_tracker import db
from bake_tracker.models import Ingredient, InventoryItem, Product

pytestmark = pytest.mark.sqlite_only


def _ingredient(name: str = "Flour") -> Ingredient:
    return Ingredient(display_name=name, slug=name.lower(), category="Flour", recipe_unit="cup")


def test_sqlite_pragmas_are_on_for_every_connection(engine):
    for _ in range(2):  # a second pooled connection gets them too
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
            assert (
                conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
                == db.WAL_AUTOCHECKPOINT_PAGES
                > 1000  # SQLite's default, which puts the checkpoint on a user's write
            )
            # negative: KiB; SQLite's default (2,000 KiB) re-reads a ×10 season's price pages
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -db.CACHE_KIB < -2000


def test_the_durability_setting_is_the_documented_one(engine):
    """Issue 16 T9: in WAL, NORMAL can lose an acknowledged commit to a power cut; FULL cannot.
    The module says FULL, and every connection runs with it."""
    assert "``synchronous=FULL``" in db.__doc__ and db.SYNCHRONOUS == "FULL"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_an_idle_checkpoint_copies_the_whole_wal_back(engine):
    """The committed rows reach the database file itself (read without the WAL: immutable)."""

    def in_main_file() -> list:
        uri = db.sqlite_file(engine).resolve().as_uri() + "?immutable=1"
        raw = sqlite3.connect(uri, uri=True)
        try:
            return raw.execute("SELECT name FROM sqlite_master WHERE name = 'scratch'").fetchall()
        finally:
            raw.close()

    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (x)")
        conn.exec_driver_sql("INSERT INTO scratch VALUES (1), (2)")
    assert in_main_file() == []  # still only in the WAL: the automatic checkpoint is far off
    assert db.checkpoint(engine) is True
    assert in_main_file() == [("scratch",)]


def test_checkpoint_is_a_no_op_off_sqlite_files(tmp_path):
    memory = db.make_engine("sqlite://")
    assert db.checkpoint(memory) is False
    memory.dispose()


def test_pragmas_belong_to_the_engine_not_to_every_engine(tmp_path):
    """A plain engine made without make_engine gets none of them (listeners are per engine)."""
    from sqlalchemy import create_engine

    plain = create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    with plain.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    plain.dispose()


def test_foreign_key_violation_raises(session):
    session.add(Product(ingredient_id=999, purchase_unit="lb", purchase_quantity=Decimal(25)))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        session.flush()


def test_a_transaction_whose_references_are_checked_has_no_foreign_keys_then_they_are_back(engine):
    """``references_checked`` (an import, whose plan checks every reference): SQLite's foreign
    keys are off for that transaction only (a product of no ingredient goes in), and on again on
    the same pooled connection once it is over, committed or rolled back."""

    def state(s) -> tuple[int, int]:
        conn = s.connection()
        keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
        return keys, id(conn.connection.dbapi_connection)

    with db.session_scope(write=True, references_checked=True) as s:
        off, raw = state(s)
        s.add(Product(ingredient_id=999, purchase_unit="lb", purchase_quantity=Decimal(25)))
        s.flush()
        s.rollback()
    with db.session_scope() as s:
        assert state(s) == (1, raw) and off == 0  # the same connection, keys on again
    with pytest.raises(RuntimeError), db.session_scope(references_checked=True) as s:
        assert state(s) == (0, raw)
        s.add(_ingredient())
        s.flush()
        raise RuntimeError("a failure inside the transaction")
    with db.session_scope() as s:
        assert state(s) == (1, raw)
        assert s.scalar(select(Ingredient.id)) is None  # rolled back
        s.add(Product(ingredient_id=999, purchase_unit="lb", purchase_quantity=Decimal(25)))
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            s.flush()


def test_reads_and_writes_share_one_real_transaction(engine):
    """SQLAlchemy emits BEGIN itself, so a SELECT starts the transaction (snapshot isolation)."""
    with db.session_scope() as s1:
        assert s1.scalar(select(Ingredient.id)) is None  # this read opens the transaction
        with db.session_scope() as s2:
            s2.add(_ingredient())
        # s1 still sees its snapshot from before s2 committed
        assert s1.scalar(select(Ingredient.id)) is None
    with db.session_scope() as s3:
        assert s3.scalar(select(Ingredient.display_name)) == "Flour"


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine):
    with db.session_scope() as session:
        session.add(_ingredient("Sugar"))
    with pytest.raises(RuntimeError), db.session_scope() as session:
        session.add(_ingredient("Salt"))
        session.flush()
        raise RuntimeError("boom after a flush")
    with db.session_scope() as session:
        names = session.scalars(select(Ingredient.display_name)).all()
    assert names == ["Sugar"]


def test_use_session_leaves_a_given_session_uncommitted(engine):
    with db.SessionLocal() as outer:
        with db.use_session(outer) as inner:
            assert inner is outer
            inner.add(_ingredient("Butter"))
            inner.flush()
        assert outer.in_transaction()  # not committed, not closed
        outer.rollback()
    with db.session_scope() as session:
        assert session.scalar(select(Ingredient.id)) is None


def test_use_session_without_a_session_runs_its_own_transaction(engine):
    with db.use_session(None) as session:
        session.add(_ingredient("Eggs"))
    with db.session_scope() as session:
        assert session.scalar(select(Ingredient.display_name)) == "Eggs"


def test_savepoints_work(engine):
    with db.session_scope() as session:
        session.add(_ingredient("Milk"))
        nested = session.begin_nested()
        session.add(_ingredient("Cream"))
        session.flush()
        nested.rollback()
    with db.session_scope() as session:
        assert session.scalars(select(Ingredient.display_name)).all() == ["Milk"]


def _lot(session, **overrides) -> InventoryItem:
    ingredient = _ingredient()
    product = Product(ingredient=ingredient, purchase_unit="lb", purchase_quantity=Decimal(25))
    values = {
        "product": product,
        "initial_quantity": Decimal("25"),
        "quantity": Decimal("25"),
        "unit_cost": Decimal("0.7596"),
        "purchase_date": date(2025, 1, 1),
    } | overrides
    lot = InventoryItem(**values)
    session.add(lot)
    return lot


def test_money_and_quantities_are_stored_as_exact_integers(session):
    _lot(session, quantity=Decimal("12.345"), unit_cost=Decimal("0.7596"))
    session.commit()
    raw = session.execute(text("SELECT quantity, unit_cost FROM inventory_items")).one()
    assert raw == (12345, 7596)
    session.expire_all()
    lot = session.scalars(select(InventoryItem)).one()
    assert lot.quantity == Decimal("12.345") and str(lot.unit_cost) == "0.7596"


@pytest.mark.parametrize(
    "bad", [0.1, Decimal("0.00001"), Decimal("NaN"), Decimal("Infinity"), "abc", True]
)
def test_money_refuses_floats_excess_places_and_non_numbers(session, bad):
    _lot(session, unit_cost=bad)
    with pytest.raises(StatementError):
        session.flush()


def test_timestamps_are_aware_utc_and_naive_ones_are_refused(session):
    lot = _lot(session)
    session.flush()
    assert lot.created_at.tzinfo is UTC
    session.expire_all()
    assert session.get(InventoryItem, lot.id).created_at.tzinfo is UTC
    lot.created_at = datetime(2025, 1, 1, 12, 0)  # naive
    with pytest.raises(StatementError, match="no time zone"):
        session.flush()


def test_every_row_gets_a_uuid(session):
    first, second = _ingredient("A"), _ingredient("B")
    session.add_all([first, second])
    session.flush()
    assert len(first.uuid) == 36 and first.uuid != second.uuid
