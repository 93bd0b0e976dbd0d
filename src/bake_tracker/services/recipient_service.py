"""Recipients: the people and places packages go to. Names are unique (import's natural key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bake_tracker.models import Event, EventRecipientPackage, Package, Recipient
from bake_tracker.services import catalog_service
from bake_tracker.services.dto import RecipientDTO, RecipientHistoryLine
from bake_tracker.services.errors import InUseError, RecipientNotFoundError
from bake_tracker.services.loading import get_or_raise, refuse_taken_name
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import Problems, refuse_unknown_fields, to_filter, to_text

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
        rows = s.execute(
            select(EventRecipientPackage, Event, Package)
            .join(Event, EventRecipientPackage.event_id == Event.id)
            .join(Package, EventRecipientPackage.package_id == Package.id)
            .where(EventRecipientPackage.recipient_id == recipient_id)
            .order_by(
                Event.event_date.desc(), Event.id.desc(), Package.name, EventRecipientPackage.id
            )
        ).all()
        return [
            RecipientHistoryLine(
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
            )
            for a, event, package in rows
        ]


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
    return RecipientDTO(
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
