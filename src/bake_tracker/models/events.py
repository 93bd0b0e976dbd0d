"""Events people bake for, who receives what, and what the event requires.

An assignment (``event_recipient_packages``) gives a recipient some packages at an event and moves
pending → ready → delivered (spec decisions 1 and 2). Targets say how many batches of a recipe and
how many finished goods the event needs; progress counts only the event's non-voided runs.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bake_tracker.models.base import Entity, name200
from bake_tracker.models.enums import FulfillmentStatus, enum_check

if TYPE_CHECKING:
    from bake_tracker.models.goods import FinishedGood, Package
    from bake_tracker.models.recipes import Recipe
    from bake_tracker.models.runs import AssemblyRun, ProductionRun


class Recipient(Entity):
    __tablename__ = "recipients"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    name: Mapped[name200] = mapped_column(unique=True)  # natural key for import
    household_name: Mapped[str | None] = mapped_column(String(200), index=True)
    address: Mapped[str | None]
    notes: Mapped[str | None]

    assignments: Mapped[list["EventRecipientPackage"]] = relationship(
        back_populates="recipient", passive_deletes="all"
    )


class Event(Entity):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("year >= 1900 AND year <= 9999", name="year_in_range"),
        UniqueConstraint("name", "year"),
    )

    name: Mapped[name200] = mapped_column(index=True)
    event_date: Mapped[date] = mapped_column(index=True)
    year: Mapped[int] = mapped_column(index=True)
    notes: Mapped[str | None]

    assignments: Mapped[list["EventRecipientPackage"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    production_targets: Mapped[list["EventProductionTarget"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    assembly_targets: Mapped[list["EventAssemblyTarget"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    # RESTRICT in the database: an event with recorded runs cannot be deleted, because its runs
    # carry the cost history; "all" stops the ORM from nulling the link behind the database's back.
    production_runs: Mapped[list["ProductionRun"]] = relationship(
        back_populates="event", passive_deletes="all"
    )
    assembly_runs: Mapped[list["AssemblyRun"]] = relationship(
        back_populates="event", passive_deletes="all"
    )


class EventRecipientPackage(Entity):
    """An assignment: ``quantity`` of a package for a recipient at an event."""

    __tablename__ = "event_recipient_packages"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        enum_check("fulfillment_status", FulfillmentStatus, "fulfillment_status_valid"),
        CheckConstraint(
            "(fulfillment_status = 'delivered') = (delivered_at IS NOT NULL)",
            name="delivered_at_iff_delivered",
        ),
        UniqueConstraint("event_id", "recipient_id", "package_id"),
        # The dashboard's package counts per event and status, read from the index alone.
        Index(
            "ix_event_recipient_packages_event_status", "event_id", "fulfillment_status", "quantity"
        ),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("recipients.id", ondelete="RESTRICT"), index=True
    )
    package_id: Mapped[int] = mapped_column(
        ForeignKey("packages.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(default=1)
    notes: Mapped[str | None]
    fulfillment_status: Mapped[str] = mapped_column(
        String(20), default=FulfillmentStatus.PENDING.value, index=True
    )
    delivered_to: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None]

    event: Mapped["Event"] = relationship(back_populates="assignments")
    recipient: Mapped["Recipient"] = relationship(back_populates="assignments")
    package: Mapped["Package"] = relationship()


class EventProductionTarget(Entity):
    __tablename__ = "event_production_targets"
    __table_args__ = (
        CheckConstraint("target_batches > 0", name="target_batches_positive"),
        UniqueConstraint("event_id", "recipe_id"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    recipe_id: Mapped[int] = mapped_column(
        ForeignKey("recipes.id", ondelete="RESTRICT"), index=True
    )
    target_batches: Mapped[int]
    notes: Mapped[str | None]

    event: Mapped["Event"] = relationship(back_populates="production_targets")
    recipe: Mapped["Recipe"] = relationship()


class EventAssemblyTarget(Entity):
    __tablename__ = "event_assembly_targets"
    __table_args__ = (
        CheckConstraint("target_quantity > 0", name="target_quantity_positive"),
        UniqueConstraint("event_id", "finished_good_id"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )
    target_quantity: Mapped[int]
    notes: Mapped[str | None]

    event: Mapped["Event"] = relationship(back_populates="assembly_targets")
    finished_good: Mapped["FinishedGood"] = relationship()
