"""The Packages and Recipients tabs on a real display: CRUD, contents, and refused deletes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bake_tracker import db
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import inventory_service
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipient_service as rcs
from bake_tracker.ui import forms
from bake_tracker.ui.app import App
from bake_tracker.ui.finished_goods_tab import ComponentDialog
from bake_tracker.ui.kit.dialog import QuantityDialog
from bake_tracker.ui.packages_tab import EMPTY_PACKAGES, PackageDialog, PackagesTab
from bake_tracker.ui.recipients_tab import EMPTY_RECIPIENTS, RecipientDialog, RecipientsTab
from tests.factories import make_assignment
from tests.ui.conftest import Recorder, open_tab, table_texts, type_into

pytestmark = pytest.mark.gui


# --- helpers ------------------------------------------------------------------------------------


def packages_tab(app: App) -> PackagesTab:
    return open_tab(app, "Packages", PackagesTab)


def recipients_tab(app: App) -> RecipientsTab:
    return open_tab(app, "Recipients", RecipientsTab)


class Answers:
    """Stands in for ``ask_confirm``: answers from a list in turn, recording each question."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.messages: list[str] = []

    def __call__(self, message: str) -> bool:
        self.messages.append(message)
        return self.answers[len(self.messages) - 1]


def assign(package_id: int, recipient_id: int) -> None:
    with db.session_scope() as session:
        make_assignment(session, package_id=package_id, recipient_id=recipient_id)


def gift_bag():
    """A finished good made of one gift box ($1.50 a box), so estimated at $1.50."""
    boxes = cs.create_ingredient(
        "Gift boxes", category="Boxes", recipe_unit="box", is_packaging=True
    )
    box = cs.create_product(
        boxes.slug, purchase_unit="box", purchase_quantity=12, brand="Kraft", package_size="8x8"
    )
    inventory_service.add_to_inventory(box.id, quantity="12", unit_cost="1.50")
    good = fgs.create_finished_good("Gift bag")
    fgs.add_component(good.id, "packaging", box.id, 1)
    return good, box


def add_package(app: App, name: str, *, template: bool = False) -> PackageDialog:
    tab = packages_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, PackageDialog)
    type_into(dialog.name_entry, name)
    type_into(dialog.description_entry, "For the neighbors")
    if template:
        dialog.template_check.select()
    dialog.ok_button.invoke()
    app.update()
    return dialog


def select_package(app: App, package_id: int) -> PackagesTab:
    tab = packages_tab(app)
    tab.refresh()
    tab.table.select(str(package_id))
    return tab


def add_recipient(app: App, name: str, household: str = "", address: str = "") -> RecipientDialog:
    tab = recipients_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecipientDialog)
    type_into(dialog.name_entry, name)
    type_into(dialog.household_entry, household)
    dialog.address_text.insert("1.0", address)
    dialog.ok_button.invoke()
    app.update()
    return dialog


# --- Packages -----------------------------------------------------------------------------------


def test_packages_empty_state(app: App) -> None:
    tab = packages_tab(app)
    assert tab.table.empty_label.cget("text") == EMPTY_PACKAGES
    assert tab.table.empty_state_shown
    assert not tab.detail.showing


def test_add_a_package_and_fill_it_through_the_dialogs(app: App) -> None:
    gift_bag()
    add_package(app, "Neighbor bundle", template=True)
    tab = packages_tab(app)
    assert table_texts(tab.table) == [("Neighbor bundle", "✓", "0", "$0.00")]
    assert app.status_label.cget("text") == "Saved package “Neighbor bundle”."
    [package] = ps.list_packages()
    assert package.is_template and package.description == "For the neighbors"
    detail = tab.detail
    assert detail.title_label.cget("text") == "Neighbor bundle"
    assert detail.items_table.empty_state_shown

    detail.add_item_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, ComponentDialog)
    assert list(dialog.choices) == ["Gift bag"]
    type_into(dialog.quantity_entry, "1.5")
    dialog.ok_button.invoke()
    assert "Quantity must be a whole number" in dialog.error_text
    assert ps.get_package_detail(package.id).items == []
    type_into(dialog.quantity_entry, "2")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.items_table) == [("Gift bag", "2", "$1.50", "$3.00")]

    detail.add_packaging_button.invoke()
    dialog = tab.active_dialog
    dialog.select_item("Gift boxes — Kraft 8x8")
    type_into(dialog.quantity_entry, "1")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.packaging_table) == [("Kraft 8x8", "1 box", "$1.50", "$1.50")]
    # 2 gift bags × $1.50 + 1 box × $1.50
    assert table_texts(tab.table) == [("Neighbor bundle", "✓", "2", "$4.50")]
    assert detail.cost_label.cget("text") == "Estimated cost $4.50 · 2 items"
    assert ps.get_package(package.id).estimated_cost == Decimal("4.50")


def test_edit_and_remove_package_contents(app: App) -> None:
    good, box = gift_bag()
    package = ps.create_package("Bundle")
    item = ps.add_finished_good_to_package(package.id, good.id, 2)
    row = ps.add_packaging_to_package(package.id, box.id, 1)
    tab = select_package(app, package.id)
    detail = tab.detail
    assert detail.edit_item_button.cget("state") == "disabled"
    detail.items_table.select(str(item.id))
    detail.edit_item_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, QuantityDialog)
    type_into(dialog.quantity_entry, "3")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.items_table) == [("Gift bag", "3", "$1.50", "$4.50")]
    assert app.status_label.cget("text") == "“Bundle” now holds 3 × Gift bag."

    detail.packaging_table.select(str(row.id))
    detail.edit_packaging_button.invoke()
    dialog = tab.active_dialog
    type_into(dialog.quantity_entry, "0.5")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.packaging_table) == [("Kraft 8x8", "0.5 boxes", "$1.50", "$0.75")]

    detail.packaging_table.select(str(row.id))
    detail.remove_packaging_button.invoke()
    detail.items_table.select(str(item.id))
    detail.remove_item_button.invoke()
    assert ps.get_package_detail(package.id).items == []
    assert ps.get_package_detail(package.id).packaging == []
    assert table_texts(tab.table) == [("Bundle", "", "0", "$0.00")]


@pytest.mark.parametrize(
    ("name", "message"), [("  ", "Name is required."), ("bundle", "already exists")]
)
def test_invalid_package_shows_an_inline_error_and_writes_nothing(
    app: App, name: str, message: str
) -> None:
    ps.create_package("Bundle")
    dialog = add_package(app, name)
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert [p.name for p in ps.list_packages()] == ["Bundle"]


def test_edit_a_package_and_search(app: App) -> None:
    package = ps.create_package("Bundle", description="Cookies")
    ps.create_package("Sampler")
    tab = select_package(app, package.id)
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert dialog.description_entry.get() == "Cookies"
    type_into(dialog.name_entry, "Neighbor bundle")
    dialog.template_check.select()
    dialog.ok_button.invoke()
    app.update()
    assert ps.get_package(package.id).is_template
    tab.search_entry.insert(0, "neigh")
    assert tab.table.column_values("name") == ["Neighbor bundle"]
    tab.search_entry.insert("end", "zz")
    assert tab.table.empty_label.cget("text") == "No packages match this search."


def test_an_assigned_package_cannot_be_deleted(app: App) -> None:
    package = ps.create_package("Bundle")
    alice = rcs.create_recipient("Alice")
    assign(package.id, alice.id)
    tab = select_package(app, package.id)
    tab.delete_button.invoke()
    [(title, message)] = app.show_error.calls
    assert title == "Cannot delete package"
    assert message == ("'Bundle' is assigned to recipients 1 time; remove those assignments first.")
    assert [p.name for p in ps.list_packages()] == ["Bundle"]

    other = ps.create_package("Spare")
    tab = select_package(app, other.id)
    tab.delete_button.invoke()
    assert [p.name for p in ps.list_packages()] == ["Bundle"]
    assert app.status_label.cget("text") == "Deleted package “Spare”."


# --- Recipients ---------------------------------------------------------------------------------


def test_recipients_empty_state(app: App) -> None:
    tab = recipients_tab(app)
    assert tab.table.empty_label.cget("text") == EMPTY_RECIPIENTS
    assert tab.table.empty_state_shown


def test_add_edit_and_search_recipients(app: App) -> None:
    add_recipient(app, "Alice Johnson", "Johnson family", "12 Elm St\nSpringfield")
    tab = recipients_tab(app)
    assert table_texts(tab.table) == [
        ("Alice Johnson", "Johnson family", "12 Elm St, Springfield", "0")
    ]
    assert tab.detail.address_label.cget("text") == "12 Elm St\nSpringfield"
    assert app.status_label.cget("text") == "Saved recipient “Alice Johnson”."
    add_recipient(app, "Bob Smith")
    assert table_texts(tab.table)[1] == ("Bob Smith", "—", "—", "0")

    tab.edit_button.invoke()  # Bob is selected
    dialog = tab.active_dialog
    assert dialog.name_entry.get() == "Bob Smith"
    type_into(dialog.household_entry, "Smith family")
    dialog.ok_button.invoke()
    app.update()
    [bob] = rcs.list_recipients(search="bob")
    assert bob.household_name == "Smith family"

    tab.search_entry.insert(0, "johnson")  # the household matches too
    assert tab.table.column_values("name") == ["Alice Johnson"]
    tab.search_entry.delete(0, "end")
    tab.search_entry.insert(0, "smith fam")
    assert tab.table.column_values("name") == ["Bob Smith"]


@pytest.mark.parametrize(("name", "message"), [("", "Name is required."), ("alice", "already")])
def test_invalid_recipient_shows_an_inline_error_and_writes_nothing(
    app: App, name: str, message: str
) -> None:
    rcs.create_recipient("Alice")
    dialog = add_recipient(app, name)
    assert message in dialog.error_text
    assert [r.name for r in rcs.list_recipients()] == ["Alice"]


def test_delete_a_recipient_without_assignments_asks_once(app: App) -> None:
    alice = rcs.create_recipient("Alice")
    tab = recipients_tab(app)
    tab.table.select(str(alice.id))
    app.ask_confirm.result = False
    tab.delete_button.invoke()
    assert len(rcs.list_recipients()) == 1
    app.ask_confirm.result = True
    tab.delete_button.invoke()
    assert rcs.list_recipients() == []
    assert len(app.ask_confirm.calls) == 2
    assert app.status_label.cget("text") == "Deleted recipient “Alice”."


def test_delete_a_recipient_with_assignments_asks_once_naming_them(app: App) -> None:
    alice = rcs.create_recipient("Alice")
    assign(ps.create_package("Bundle").id, alice.id)
    tab = recipients_tab(app)
    assert table_texts(tab.table) == [("Alice", "—", "—", "1")]
    tab.table.select(str(alice.id))
    assert tab.detail.assignments_label.cget("text") == "1 package at 1 event · 0 delivered"

    app.ask_confirm = Answers(False)
    tab.delete_button.invoke()
    assert app.ask_confirm.messages == [
        "“Alice” has 1 package assignment. Delete “Alice” and remove it too? This cannot be undone."
    ]
    assert rcs.get_recipient(alice.id).assignment_count == 1  # the answer was No

    app.ask_confirm = Recorder(True)
    tab.delete_button.invoke()
    assert len(app.ask_confirm.calls) == 1
    assert rcs.list_recipients() == []
    assert tab.table.empty_state_shown


def test_the_recipient_panel_shows_which_package_at_which_event_and_delivery(app: App) -> None:
    from datetime import date

    from bake_tracker.services import event_service

    alice = rcs.create_recipient("Alice")
    tin, bag = ps.create_package("Cookie Tin"), ps.create_package("Gift Bag")
    last_year = event_service.create_event("Christmas", date(2024, 12, 24))
    this_year = event_service.create_event("Christmas", date(2025, 12, 24))
    given = event_service.assign_package_to_recipient(last_year.id, alice.id, tin.id, quantity=2)
    event_service.update_fulfillment_status(given.id, "ready")
    delivered = event_service.update_fulfillment_status(given.id, "delivered")
    event_service.assign_package_to_recipient(this_year.id, alice.id, bag.id)
    tab = recipients_tab(app)
    tab.table.select(str(alice.id))
    day = forms.format_local_date(delivered.delivered_at)
    assert table_texts(tab.detail.history_table) == [
        ("Christmas 2025", "Gift Bag", "Pending", "—"),
        ("Christmas 2024", "2 × Cookie Tin", "Delivered", day),
    ]
    assert tab.detail.assignments_label.cget("text") == "3 packages at 2 events · 2 delivered"
