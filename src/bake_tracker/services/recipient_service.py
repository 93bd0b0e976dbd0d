"""Recipients: the people and places packages go to. Names are unique (import's natural key)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, bindparam, func, null, or_, select
from sqlalchemy.orm import Session, aliased

from bake_tracker.models import Event, EventRecipientPackage, Package, Recipient
from bake_tracker.services import catalog_service, dto
from bake_tracker.services.errors import EventNotFoundError, InUseError, RecipientNotFoundError
from bake_tracker.services.loading import get_or_raise, refuse_taken_name
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    is_id,
    refuse_unknown_fields,
    to_filter,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import LastAssignment, RecipientDTO, RecipientHistoryLine

EDITABLE_FIELDS = frozenset({"name", "household_name", "address", "notes"})


def create_recipient(
    name: str,
    *,
    household_name: str | None = None,
    address: str | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> RecipientDTO:
    """Raises: ValidationError (including a name in use)."""
    values = _validated(
        {"name": name, "household_name": household_name, "address": address, "notes": notes}
    )
    with use_session(session) as s:
        refuse_taken_name(s, Recipient.name, values["name"], "A recipient")
        recipient = Recipient(**values)
        s.add(recipient)
        s.flush()
        return recipient_dto(recipient, 0)


def get_recipient(recipient_id: int, *, session: Session | None = None) -> RecipientDTO:
    with use_session(session) as s:
        recipient = load_recipient(s, recipient_id)
        return recipient_dto(recipient, len(recipient.assignments))


def list_recipients(
    *, search: str | None = None, session: Session | None = None
) -> list[RecipientDTO]:
    """Recipients by name; ``search`` matches the name or the household.

    Raises:
        ValidationError when ``search`` is not text.
    """
    with Problems() as p:
        search = to_filter(search, "Search", p)
    with use_session(session) as s:
        query = catalog_service.with_counts(
            Recipient, Recipient.name, EventRecipientPackage.recipient_id, func.count()
        )
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                or_(
                    func.lower(Recipient.name).like(pattern),
                    func.lower(Recipient.household_name).like(pattern),
                )
            )
        rows = s.execute(query).mappings()
        return [recipient_dto(row["Recipient"], row["count"]) for row in rows]


def get_recipient_history(
    recipient_id: int, *, session: Session | None = None
) -> list[RecipientHistoryLine]:
    """Every package the recipient was assigned, across all events, newest event first: the
    event (name, date, year), the package and quantity, the status, and when and to whom it was
    delivered. The Recipients tab shows it; printed lists use it too.

    Raises:
        RecipientNotFoundError.
    """
    with use_session(session) as s:
        load_recipient(s, recipient_id)
        return history_lines(s, recipient_id)


def history_lines(session: Session, recipient_id: int | None = None) -> list[RecipientHistoryLine]:
    """The history of one recipient, or of every recipient (by name, then newest event first)
    when ``recipient_id`` is None: one query through the assignments' recipient index."""
    query = (
        select(EventRecipientPackage, Event, Package, Recipient.name)
        .join(Event, EventRecipientPackage.event_id == Event.id)
        .join(Package, EventRecipientPackage.package_id == Package.id)
        .join(Recipient, EventRecipientPackage.recipient_id == Recipient.id)
    )
    if recipient_id is not None:
        query = query.where(EventRecipientPackage.recipient_id == recipient_id)
    else:
        query = query.order_by(Recipient.name, Recipient.id)
    rows = session.execute(
        query.order_by(
            Event.event_date.desc(), Event.id.desc(), Package.name, EventRecipientPackage.id
        )
    ).all()
    return [
        dto.RecipientHistoryLine(
            assignment_id=a.id,
            event_id=event.id,
            event_name=event.name,
            event_date=event.event_date,
            year=event.year,
            package_id=package.id,
            package_name=package.name,
            quantity=a.quantity,
            fulfillment_status=a.fulfillment_status,
            delivered_at=a.delivered_at,
            delivered_to=a.delivered_to,
            notes=a.notes,
            recipient_id=a.recipient_id,
            recipient_name=name,
        )
        for a, event, package, name in rows
    ]


def last_assignment(
    recipient_id: int, *, before_event_id: int | None = None, session: Session | None = None
) -> LastAssignment | None:
    """What the recipient got last time: their assignment at the latest event (by date, then id)
    before ``before_event_id`` — the event being planned, so its own assignments are not "last
    time" — or at their latest event of all when None. None when they never got anything.
    Several packages at that event: the first by name, and how many others.

    One query: the recipient, the event named and the latest earlier assignment are outer-joined,
    so a missing recipient or event is told apart from "nothing before" without a second look.

    Raises:
        RecipientNotFoundError, EventNotFoundError.
    """
    if not is_id(recipient_id):
        raise RecipientNotFoundError(recipient_id)
    if before_event_id is not None and not is_id(before_event_id):
        raise EventNotFoundError(before_event_id)
    with use_session(session) as s:
        row = s.execute(
            _last_assignment_query(before_event_id is not None),
            {"recipient_id": recipient_id, "before_id": before_event_id},
        ).first()
    if row is None:
        raise RecipientNotFoundError(recipient_id)
    if before_event_id is not None and row.before_id is None:
        raise EventNotFoundError(before_event_id)
    if row.event_id is None:
        return None
    return dto.LastAssignment(
        event_id=row.event_id,
        event_name=row.event_name,
        event_date=row.event_date,
        year=row.year,
        package_name=row.package_name,
        quantity=row.quantity,
        fulfillment_status=row.fulfillment_status,
        delivered_at=row.delivered_at,
        other_packages=row.at_event - 1,
    )


@cache
def _last_assignment_query(before_an_event: bool) -> Select:
    """The recipient's row (``:recipient_id``), the event named (``:before_id``, when
    ``before_an_event``) and the latest earlier assignment, outer-joined. The latest assignment is
    picked by a correlated subquery through the assignments' recipient index, so the work grows
    with this recipient's assignments only. Built once per shape: making the ORM aliases costs
    ten times the query itself."""
    before = aliased(Event)
    mine, at = aliased(EventRecipientPackage), aliased(Event)
    earlier = mine.recipient_id == Recipient.id
    if before_an_event:
        # strictly earlier in (date, id) order: the same day's earlier-made event counts
        earlier = and_(
            earlier,
            or_(
                at.event_date < before.event_date,
                and_(at.event_date == before.event_date, at.id < before.id),
            ),
        )
    latest_id = (
        select(mine.id)
        .join(at, mine.event_id == at.id)
        .join(Package, mine.package_id == Package.id)
        .where(earlier)
        .order_by(at.event_date.desc(), at.id.desc(), Package.name, mine.id)
        .limit(1)
        .scalar_subquery()
    )
    a, event, package = EventRecipientPackage, aliased(Event), aliased(Package)
    others = aliased(EventRecipientPackage)
    at_event = (
        select(func.count())
        .where(others.recipient_id == a.recipient_id, others.event_id == a.event_id)
        .scalar_subquery()
    )
    query = select(
        (before.id if before_an_event else null()).label("before_id"),
        event.id.label("event_id"),
        event.name.label("event_name"),
        event.event_date,
        event.year,
        package.name.label("package_name"),
        a.quantity,
        a.fulfillment_status,
        a.delivered_at,
        at_event.label("at_event"),
    ).select_from(Recipient)
    if before_an_event:
        query = query.outerjoin(before, before.id == bindparam("before_id"))
    return (
        query.outerjoin(a, a.id == latest_id)
        .outerjoin(event, event.id == a.event_id)
        .outerjoin(package, package.id == a.package_id)
        .where(Recipient.id == bindparam("recipient_id"))
    )


def update_recipient(
    recipient_id: int, /, *, session: Session | None = None, **fields: Any
) -> RecipientDTO:
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "recipient")
    with use_session(session) as s:
        recipient = load_recipient(s, recipient_id)
        values = _validated({f: getattr(recipient, f) for f in EDITABLE_FIELDS} | fields)
        if values["name"].lower() != recipient.name.lower():
            refuse_taken_name(s, Recipient.name, values["name"], "A recipient")
        for name, value in values.items():
            setattr(recipient, name, value)
        s.flush()
        return recipient_dto(recipient, len(recipient.assignments))


def delete_recipient(
    recipient_id: int, *, force: bool = False, session: Session | None = None
) -> None:
    """Delete a recipient; with assignments only when ``force`` (which removes them too).

    Raises:
        RecipientNotFoundError; InUseError with the number of assignments.
    """
    with use_session(session) as s:
        recipient = load_recipient(s, recipient_id)
        assigned = list(recipient.assignments)
        if assigned and not force:
            raise InUseError(
                {"assignments": len(assigned)},
                f"'{recipient.name}' has {len(assigned)} package assignment(s); "
                "confirm that they should be removed too.",
            )
        for assignment in assigned:
            s.delete(assignment)
        s.flush()
        s.delete(recipient)
        s.flush()


def load_recipient(session: Session, recipient_id: int) -> Recipient:
    return get_or_raise(session, Recipient, recipient_id, RecipientNotFoundError)


def recipient_dto(recipient: Recipient, assignment_count: int) -> RecipientDTO:
    return dto.RecipientDTO(
        id=recipient.id,
        name=recipient.name,
        household_name=recipient.household_name,
        address=recipient.address,
        notes=recipient.notes,
        assignment_count=assignment_count,
    )


def _validated(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as p:
        return {
            "name": to_text(raw["name"], "Name", p, max_length=200),
            "household_name": to_text(
                raw.get("household_name"), "Household", p, max_length=200, required=False
            ),
            "address": to_text(raw.get("address"), "Address", p, max_length=2000, required=False),
            "notes": to_text(raw.get("notes"), "Notes", p, max_length=2000, required=False),
        }
