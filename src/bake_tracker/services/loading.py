"""Loading a row by its id, names that must be unique, rows in use: one rule for every service.

An id that no row could have — not a whole number, a bool, below 1 or beyond the id column (2³¹−1)
(``validation.is_id``) — finds nothing without a query, so a bad id never reaches the database
driver (which would overflow); a valid id of no row finds nothing either. Whoever asks decides what
"nothing" means: ``get_or_none`` gives None, ``get_or_raise`` raises the caller's error with the id.

An event is loaded the same way everywhere (``load_event``): an id that names no event — None
included — is an ``EventNotFoundError``; ``require_event`` checks the same without loading it.

A name that must be unique is compared case-insensitively (``refuse_taken_name``). A row is deleted
only when nothing uses it (``refuse_if_used``), and the refusal counts what does.

Rows of a query are read by column name: ``row.name`` or a mapping's ``row["name"]``; a large
result read in a hot loop gets its columns by name once for the whole result (``columns``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Result, bindparam, func, literal, select
from sqlalchemy.orm import Session

from bake_tracker.core import wording
from bake_tracker.models import Event
from bake_tracker.services.errors import EventNotFoundError, InUseError, ValidationError
from bake_tracker.services.transactions import core_execute
from bake_tracker.services.validation import is_id

T = TypeVar("T")


def get_or_none(
    session: Session, model: type[T], row_id: Any, *, options: Sequence = ()
) -> T | None:
    """The row of ``model`` with id ``row_id`` (its loader ``options`` applied), else None."""
    if not is_id(row_id):
        return None
    return session.get(model, row_id, options=options)


def get_or_raise(
    session: Session,
    model: type[T],
    row_id: Any,
    not_found: Callable[[Any], Exception],
    *,
    options: Sequence = (),
) -> T:
    """The row of ``model`` with id ``row_id``; ``not_found(row_id)`` is raised when there is none
    (a ``NotFoundError`` class, or ``missing(...)`` for a row that is only part of something)."""
    row = get_or_none(session, model, row_id, options=options)
    if row is None:
        raise not_found(row_id)
    return row


def missing(template: str) -> Callable[[Any], ValidationError]:
    """A ``not_found`` for ``get_or_raise`` that raises a ValidationError saying ``template``
    with the id in place of ``{}``: ``missing("Recipe line {} not found")``."""
    return lambda row_id: ValidationError(template.format(row_id))


def columns(result: Result, *names: str) -> Callable[[Any], Any]:
    """A getter of the columns ``names`` of ``result``'s rows (one value for one name, a tuple in
    that order for several), each found by name once for the whole result: as fast as unpacking a
    row, without depending on where the columns stand in the select."""
    keys = list(result.keys())
    return itemgetter(*(keys.index(name) for name in names))


def load_event(session: Session, event_id: Any) -> Event:
    """The event ``event_id`` names. Raises: EventNotFoundError (for None too)."""
    return get_or_raise(session, Event, event_id, EventNotFoundError)


# Whether an event exists, on the table's column: the window's first paint asks it (an event with
# no target of a kind), and loading the ORM object would configure every mapper first (~0.1 s).
_EVENT_EXISTS = select(literal(1)).where(Event.__table__.c.id == bindparam("event_id"))


def require_event(session: Session, event_id: Any) -> None:
    """Check that ``event_id`` names an event, without loading it (``load_event``'s rule).
    Raises: EventNotFoundError (for None too)."""
    if (
        not is_id(event_id)
        or core_execute(session, _EVENT_EXISTS, {"event_id": event_id}).first() is None
    ):
        raise EventNotFoundError(event_id)


def count_rows(session: Session, column, value: Any) -> int:
    """How many rows have ``value`` in ``column`` (a foreign key: how many rows point at it)."""
    return session.scalar(select(func.count()).where(column == value)) or 0


def refuse_if_used(name: str, counts: dict[str, int]) -> None:
    """Refuse to delete ``name`` while ``counts`` (what uses it: {"production runs": 2}) has
    anything: InUseError "'Fudge' is used by 2 production runs; it cannot be deleted."."""
    if any(counts.values()):
        used = ", ".join(
            wording.count_text(n, wording.singular_of(what)) for what, n in counts.items() if n
        )
        raise InUseError(counts, f"'{name}' is used by {used}; it cannot be deleted.")


def refuse_taken_name(session: Session, column, name: str, thing: str) -> None:
    """Refuse ``name`` when a row already has it in ``column``, whatever the case: ValidationError
    "{thing} named '...' already exists" (``thing`` as "A recipe" or "An ingredient")."""
    query = select(column.class_.id).where(func.lower(column) == func.lower(literal(name)))
    if session.scalar(query) is not None:
        raise ValidationError(f"{thing} named '{name}' already exists")
