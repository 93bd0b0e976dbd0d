"""recipient_service.get_recipient_history: what a recipient got at every event, newest first."""

from __future__ import annotations

from datetime import date

import pytest

from bake_tracker.services import event_service
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services.errors import RecipientNotFoundError


def test_history_lists_every_event_newest_first_with_status_and_delivery(engine) -> None:
    alice = rcs.create_recipient("Alice", household_name="Smiths")
    bob = rcs.create_recipient("Bob")
    tin = ps.create_package("Cookie Tin")
    bag = ps.create_package("Gift Bag")
    old = event_service.create_event("Christmas", date(2024, 12, 24))
    new = event_service.create_event("Christmas", date(2025, 12, 24))
    sale = event_service.create_event("Bake Sale", date(2025, 6, 1))
    delivered = event_service.assign_package_to_recipient(old.id, alice.id, tin.id, quantity=2)
    event_service.update_fulfillment_status(delivered.id, "ready")
    event_service.update_fulfillment_status(delivered.id, "delivered", delivered_to="porch")
    event_service.assign_package_to_recipient(new.id, alice.id, bag.id)
    event_service.assign_package_to_recipient(sale.id, alice.id, tin.id)
    event_service.assign_package_to_recipient(new.id, bob.id, tin.id)  # not Alice's

    history = rcs.get_recipient_history(alice.id)
    assert [(h.event_name, h.year, h.package_name, h.quantity) for h in history] == [
        ("Christmas", 2025, "Gift Bag", 1),
        ("Bake Sale", 2025, "Cookie Tin", 1),
        ("Christmas", 2024, "Cookie Tin", 2),
    ]
    assert [h.fulfillment_status for h in history] == ["pending", "pending", "delivered"]
    last = history[-1]
    assert last.delivered_to == "porch" and last.delivered_at is not None
    assert last.delivered_at.tzinfo is not None
    assert last.event_date == date(2024, 12, 24)
    assert rcs.get_recipient_history(rcs.create_recipient("Carol").id) == []


def test_history_of_an_unknown_recipient_is_refused(engine) -> None:
    with pytest.raises(RecipientNotFoundError):
        rcs.get_recipient_history(999_999)
