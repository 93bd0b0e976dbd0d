"""The first few child rows of each parent in a stated order, read through an index on it.

FIFO plans (pantry lots per product, finished lots per finished unit or good) need only a
parent's oldest open lots: a walk that is covered by them stops where a walk over every lot
would. This module builds the one statement shape both use, so neither reads every open lot:

* SQLite: ``parent JOIN child ON child.id IN (SELECT id ... WHERE child.fk = parent.id AND open
  ORDER BY ... LIMIT :per_parent)``, a correlated subquery run as one index range per parent;
* PostgreSQL (``lateral=True``): ``parent JOIN LATERAL (SELECT ... LIMIT :per_parent)``.

The row limit is the bound parameter ``per_parent``. Rows come back in no particular order
across parents; callers sort what they read.

On SQLite the open rows are read ``INDEXED BY`` the partial index built on the same condition
(``open_index``). Its plain twin (same columns, every row) costs the same to SQLite's planner,
which then takes whichever of the two the schema lists last: on a file whose migrations created
them in the other order (the ×10 bench sets, a user's upgraded file) it walked every emptied lot
of the history, 10× the work on 10× the data. (SQLAlchemy's SQLite compiler leaves table hints
out; ``db`` lets it render them.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Table, bindparam, select, true
from sqlalchemy.sql import ColumnElement, FromClause


def leading_join(
    parent: Table,
    child: Table,
    link: str,
    order: Sequence[str],
    is_open: Callable[[FromClause], ColumnElement[bool]],
    columns: Sequence[str],
    *,
    lateral: bool,
    open_index: str,
) -> tuple[FromClause, FromClause]:
    """(``parent`` joined to each parent's first ``:per_parent`` open ``child`` rows in
    ``order``, the child side to select ``columns`` from). ``link`` is the child's column that
    points at ``parent.c.id``; ``is_open`` states which rows count (write it with a literal, so
    SQLite can use a partial index built on the same condition: ``open_index``, named)."""
    if lateral:
        lead = (
            select(*(child.c[name] for name in columns))
            .where(child.c[link] == parent.c.id, is_open(child))
            .order_by(*(child.c[name] for name in order))
            .limit(bindparam("per_parent"))
            .lateral("lead")
        )
        return parent.join(lead, true()), lead
    inner = child.alias("lead")
    first_ids = (
        select(inner.c.id)
        .where(inner.c[link] == parent.c.id, is_open(inner))
        .order_by(*(inner.c[name] for name in order))
        .limit(bindparam("per_parent"))
        .correlate(parent)
        .with_hint(inner, f"INDEXED BY {open_index}", "sqlite")
    )
    return parent.join(child, child.c.id.in_(first_ids)), child
