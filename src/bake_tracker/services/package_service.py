"""Packages: what a recipient gets — finished goods, plus package-level packaging (a gift box).

Names are unique (the natural key for import). A package's estimated cost is its finished goods at
their current cost plus its packaging at the estimated price, each line rounded to 4 places.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.core import wording
from bake_tracker.core.numbers import round_money
from bake_tracker.models import (
    Composition,
    EventRecipientPackage,
    FinishedGood,
    Package,
    PackageFinishedGood,
)
from bake_tracker.services import dto, finished_good_service
from bake_tracker.services.errors import (
    InUseError,
    PackageNotFoundError,
    ValidationError,
    in_use_refusal,
)
from bake_tracker.services.loading import (
    count_rows,
    get_or_none,
    get_or_raise,
    missing,
    refuse_taken_name,
)
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_decimal,
    to_int,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import PackageDetail, PackageDTO, PackageItemDTO

EDITABLE_FIELDS = frozenset({"name", "description", "is_template", "notes"})


def create_package(
    name: str,
    *,
    description: str | None = None,
    is_template: bool = False,
    notes: str | None = None,
    session: Session | None = None,
) -> PackageDTO:
    """Raises: ValidationError (including a name in use)."""
    values = _validated(
        {"name": name, "description": description, "is_template": is_template, "notes": notes}
    )
    with use_session(session) as s:
        refuse_taken_name(s, Package.name, values["name"], "A package")
        package = Package(**values)
        s.add(package)
        s.flush()
        return package_dto(s, package)


def get_package(package_id: int, *, session: Session | None = None) -> PackageDTO:
    with use_session(session) as s:
        return package_dto(s, load_package(s, package_id))


def list_packages(
    *, include_templates: bool = True, session: Session | None = None
) -> list[PackageDTO]:
    with use_session(session) as s:
        query = select(Package).order_by(func.lower(Package.name))
        if not include_templates:
            query = query.where(Package.is_template.is_(False))
        packages = list(s.scalars(query.options(*package_contents())))
        costs = estimated_costs(s, packages)  # a fixed number of statements for them all
        return [package_dto(s, p, costs[p.id]) for p in packages]


def get_package_detail(package_id: int, *, session: Session | None = None) -> PackageDetail:
    with use_session(session) as s:
        package = load_package(s, package_id)
        costs = _good_costs(s, [package])
        return dto.PackageDetail(
            package=package_dto(s, package, _estimated_cost(costs, package)),
            items=[_item_dto(s, item, costs) for item in package.items],
            packaging=[
                finished_good_service.composition_dto(s, row, costs) for row in package.packaging
            ],
        )


def update_package(
    package_id: int, /, *, session: Session | None = None, **fields: Any
) -> PackageDTO:
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "package")
    with use_session(session) as s:
        package = load_package(s, package_id)
        values = _validated({f: getattr(package, f) for f in EDITABLE_FIELDS} | fields)
        if values["name"].lower() != package.name.lower():
            refuse_taken_name(s, Package.name, values["name"], "A package")
        for name, value in values.items():
            setattr(package, name, value)
        s.flush()
        return package_dto(s, package)


def delete_package(package_id: int, *, session: Session | None = None) -> None:
    """Raises: PackageNotFoundError; InUseError when recipients are assigned this package."""
    with use_session(session) as s:
        package = load_package(s, package_id)
        _refuse_delete(s, package)
        s.delete(package)
        s.flush()


def check_delete_package(package_id: int, *, session: Session | None = None) -> str | None:
    """Why the package cannot be deleted (the delete's own words), or None when it can.

    Raises:
        PackageNotFoundError.
    """
    with use_session(session) as s:
        package = load_package(s, package_id)
        return in_use_refusal(lambda: _refuse_delete(s, package))


def _refuse_delete(s: Session, package: Any) -> None:
    assigned = count_rows(s, EventRecipientPackage.package_id, package.id)
    if assigned:
        raise InUseError(
            {"assignments": assigned},
            f"'{package.name}' is assigned to recipients {wording.count_text(assigned, 'time')}; "
            "remove those assignments first.",
        )


def add_finished_good_to_package(
    package_id: int, finished_good_id: int, quantity: Any = 1, *, session: Session | None = None
) -> PackageItemDTO:
    """Raises: PackageNotFoundError, FinishedGoodNotFoundError, ValidationError."""
    with Problems() as p:
        qty = to_int(quantity, "Quantity", p, minimum=1)
    with use_session(session) as s:
        package = load_package(s, package_id)
        good = finished_good_service.load_finished_good(s, finished_good_id)
        if any(item.finished_good_id == good.id for item in package.items):
            raise ValidationError(f"'{good.display_name}' is already in '{package.name}'")
        item = PackageFinishedGood(package_id=package.id, finished_good=good, quantity=qty)
        s.add(item)
        s.flush()
        return _item_dto(s, item)


def update_finished_good_quantity(
    package_item_id: int, quantity: Any, *, session: Session | None = None
) -> PackageItemDTO:
    with Problems() as p:
        qty = to_int(quantity, "Quantity", p, minimum=1)
    with use_session(session) as s:
        item = get_or_raise(
            s, PackageFinishedGood, package_item_id, missing("Package line {} not found")
        )
        item.quantity = qty
        s.flush()
        return _item_dto(s, item)


def remove_finished_good_from_package(
    package_item_id: int, *, session: Session | None = None
) -> bool:
    with use_session(session) as s:
        item = get_or_none(s, PackageFinishedGood, package_item_id)
        if item is None:
            return False
        s.delete(item)
        s.flush()
        return True


def add_packaging_to_package(
    package_id: int, product_id: int, quantity: Any = 1, *, session: Session | None = None
):
    """Package-level packaging (the box, the tissue paper), in its ingredient's recipe unit."""
    with Problems() as p:
        qty = to_decimal(quantity, "Quantity", p, allow_zero=False)
    with use_session(session) as s:
        package = load_package(s, package_id)
        product = finished_good_service.packaging_product(s, product_id)
        if any(row.packaging_product_id == product.id for row in package.packaging):
            raise ValidationError(f"That packaging is already part of '{package.name}'")
        row = Composition(package_id=package.id, packaging_product=product, component_quantity=qty)
        s.add(row)
        s.flush()
        return finished_good_service.composition_dto(s, row)


def update_packaging_quantity(
    composition_id: int, quantity: Any, *, session: Session | None = None
):
    """Change how much of a package-level packaging product a package takes."""
    return finished_good_service.update_component_quantity(
        composition_id, quantity, session=session
    )


def remove_packaging_from_package(composition_id: int, *, session: Session | None = None) -> bool:
    return finished_good_service.remove_component(composition_id, session=session)


def load_package(session: Session, package_id: int) -> Package:
    return get_or_raise(session, Package, package_id, PackageNotFoundError)


@cache
def package_contents() -> tuple:
    """What a package's cost needs: its goods with their components, and its packaging. Loaded
    with the packages (or under them, for a list of assignments) before ``estimated_costs`` reads
    them. A function: a loader option configures every mapper when it is made."""
    return (
        selectinload(Package.items)
        .selectinload(PackageFinishedGood.finished_good)
        .selectinload(FinishedGood.components),
        selectinload(Package.packaging),
    )


def estimated_cost(session: Session, package: Package) -> Decimal:
    return _estimated_cost(_good_costs(session, [package]), package)


def estimated_costs(session: Session, packages: Iterable[Package]) -> dict[int, Decimal]:
    """{package id: estimated cost} of many packages, in a fixed number of statements."""
    packages = list(packages)
    costs = _good_costs(session, packages)
    return {package.id: _estimated_cost(costs, package) for package in packages}


def _good_costs(session: Session, packages: list[Package]) -> finished_good_service.GoodCosts:
    return finished_good_service.GoodCosts(
        session,
        [item.finished_good for package in packages for item in package.items],
        rows=[row for package in packages for row in package.packaging],
    )


def _estimated_cost(costs: finished_good_service.GoodCosts, package: Package) -> Decimal:
    """Its goods at their current cost plus its packaging at the estimated price, each line
    rounded to 4 places."""
    goods = sum(
        (
            round_money(costs.estimated_cost(item.finished_good) * item.quantity)
            for item in package.items
        ),
        Decimal(0),
    )
    packaging = sum(
        (
            round_money(costs.component_unit_cost(row) * row.component_quantity)
            for row in package.packaging
        ),
        Decimal(0),
    )
    return goods + packaging


def package_dto(session: Session, package: Package, estimated: Decimal | None = None) -> PackageDTO:
    """The package's DTO; a list passes each ``estimated`` cost, read for all at once."""
    return dto.PackageDTO(
        id=package.id,
        name=package.name,
        description=package.description,
        is_template=package.is_template,
        estimated_cost=estimated_cost(session, package) if estimated is None else estimated,
        item_count=sum(item.quantity for item in package.items),
        notes=package.notes,
    )


def _item_dto(
    session: Session,
    item: PackageFinishedGood,
    costs: finished_good_service.GoodCosts | None = None,
) -> PackageItemDTO:
    costs = costs or finished_good_service.GoodCosts(session, [item.finished_good])
    return dto.PackageItemDTO(
        id=item.id,
        package_id=item.package_id,
        finished_good_id=item.finished_good_id,
        quantity=item.quantity,
        finished_good_name=item.finished_good.display_name,
        unit_cost=costs.estimated_cost(item.finished_good),
    )


def _validated(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as p:
        values = {
            "name": to_text(raw["name"], "Name", p, max_length=200),
            "description": to_text(
                raw.get("description"), "Description", p, max_length=2000, required=False
            ),
            "notes": to_text(raw.get("notes"), "Notes", p, max_length=2000, required=False),
            "is_template": raw.get("is_template", False),
        }
        if not isinstance(values["is_template"], bool):
            p.add("Template must be true or false")
    return values
