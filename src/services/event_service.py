"""Events people bake for: create, find, and list them the way pickers need them.

Events are unique by (name, year), the natural key used by import. Pickers list upcoming events
nearest first, then past events newest first (spec decision 10), and callers map the choice by id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from src.db import use_session
from src.models import Event
from src.services.dto import EventDTO
from src.services.errors import EventNotFoundError, ValidationError
from src.services.validation import Problems, to_date, to_int, to_text


def create_event(
    name: str,
    event_date: Any,
    *,
    year: Any = None,
    notes: str | None = None,
    session: Session | None = None,
) -> EventDTO:
    """Add an event; ``year`` defaults to the date's year.

    Raises:
        ValidationError (including a name already used that year).
    """
    with Problems() as p:
        title = to_text(name, "Name", p, max_length=200)
        when = to_date(event_date, "Event date", p)
        chosen_year = to_int(year, "Year", p, minimum=1900, required=False)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
        if chosen_year is not None and chosen_year > 9999:
            p.add("Year is too large")
    year_value = chosen_year or (when.year if when else None)
    with use_session(session) as s:
        _refuse_duplicate(s, title, year_value)
        event = Event(name=title, event_date=when, year=year_value, notes=notes)
        s.add(event)
        s.flush()
        return event_dto(event)


def get_event(event_id: int, *, session: Session | None = None) -> EventDTO:
    with use_session(session) as s:
        return event_dto(load_event(s, event_id))


def list_events(*, year: int | None = None, session: Session | None = None) -> list[EventDTO]:
    """Events newest first, optionally of one year."""
    with use_session(session) as s:
        query = select(Event).order_by(Event.event_date.desc(), Event.id.desc())
        if year is not None:
            query = query.where(Event.year == year)
        return [event_dto(e) for e in s.scalars(query)]


def list_events_for_picker(
    *, today: date | None = None, session: Session | None = None
) -> list[EventDTO]:
    """Upcoming events (on or after ``today``) nearest first, then past ones newest first."""
    today = today or date.today()
    with use_session(session) as s:
        upcoming = s.scalars(
            select(Event).where(Event.event_date >= today).order_by(Event.event_date, Event.id)
        ).all()
        past = s.scalars(
            select(Event)
            .where(Event.event_date < today)
            .order_by(Event.event_date.desc(), Event.id.desc())
        ).all()
        return [event_dto(e) for e in (*upcoming, *past)]


def load_event(session: Session, event_id: int) -> Event:
    event = (
        session.get(Event, event_id)
        if isinstance(event_id, int) and not isinstance(event_id, bool)
        else None
    )
    if event is None:
        raise EventNotFoundError(event_id)
    return event


def event_dto(event: Event) -> EventDTO:
    return EventDTO(
        id=event.id,
        name=event.name,
        event_date=event.event_date,
        year=event.year,
        notes=event.notes,
    )


def _refuse_duplicate(
    session: Session, name: str, year: int, exclude_id: int | None = None
) -> None:
    query = select(Event.id).where(func.lower(Event.name) == name.lower(), Event.year == year)
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    if session.scalar(query) is not None:
        raise ValidationError(f"There is already an event named '{name}' in {year}")
