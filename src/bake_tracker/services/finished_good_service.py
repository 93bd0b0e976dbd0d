"""Finished goods: assemblies of finished units, nested finished goods and packaging.

A composition row says how many of one component one finished good takes: whole finished units or
goods, or packaging in its ingredient's recipe unit (0.5 yd of ribbon). Nesting never forms a
circle and goes at most five levels deep. Costs follow one rule: a component's current cost is the
FIFO cost of its next unit in stock, else its estimate (a finished unit's recipe estimate per item,
a nested good's own estimate); packaging is priced at its ingredient's estimated price per recipe
unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from bake_tracker.core.numbers import round_money
from bake_tracker.models import (
    AssemblyFinishedGoodConsumption,
    AssemblyRun,
    Composition,
    EventAssemblyTarget,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    Ingredient,
    PackageFinishedGood,
    Product,
)
from bake_tracker.services import (
    batch_estimates,
    catalog_service,
    dto,
    finished_stock,
    finished_unit_service,
    inventory_service,
    pantry_lots,
    recipe_tree,
)
from bake_tracker.services.dto import AssemblyType, ComponentType
from bake_tracker.services.errors import (
    FinishedGoodNotFoundError,
    ValidationError,
    in_use_refusal,
)
from bake_tracker.services.loading import (
    count_rows,
    get_or_none,
    get_or_raise,
    missing,
    refuse_if_used,
)
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_choice,
    to_decimal,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import CompositionDTO, FinishedGoodDetail, FinishedGoodDTO

ASSEMBLY_TYPES = tuple(t.value for t in AssemblyType)
COMPONENT_TYPES = tuple(t.value for t in ComponentType)
MAX_NESTING = 5  # levels of finished goods inside finished goods
EDITABLE_FIELDS = frozenset(
    {"display_name", "assembly_type", "packaging_instructions", "notes", "description"}
)


def create_finished_good(
    display_name: str,
    *,
    assembly_type: str = AssemblyType.CUSTOM_ORDER,
    packaging_instructions: str | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> FinishedGoodDTO:
    """Add a finished good (its components come next, with ``add_component``).

    Raises:
        ValidationError.
    """
    values = _validated(
        {
            "display_name": display_name,
            "assembly_type": assembly_type,
            "packaging_instructions": packaging_instructions,
            "notes": notes,
        }
    )
    with use_session(session) as s:
        slug = catalog_service.unique_slug(s, FinishedGood.slug, values["display_name"], "item")
        good = FinishedGood(slug=slug[:100], **values)
        s.add(good)
        s.flush()
        return good_dto(s, good)


def get_finished_good(finished_good_id: int, *, session: Session | None = None) -> FinishedGoodDTO:
    with use_session(session) as s:
        return good_dto(s, load_finished_good(s, finished_good_id))


def list_finished_goods(
    *, search: str | None = None, session: Session | None = None
) -> list[FinishedGoodDTO]:
    with use_session(session) as s:
        query = select(FinishedGood).order_by(func.lower(FinishedGood.display_name))
        filtered = bool(search and search.strip())
        if filtered:
            pattern = f"%{search.strip().lower()}%"
            query = query.where(func.lower(FinishedGood.display_name).like(pattern))
        goods = list(s.scalars(query.options(selectinload(FinishedGood.components))))
        costs = GoodCosts(s, goods, every_good=not filtered)  # a fixed number of statements
        return [good_dto(s, good, costs) for good in goods]


def get_finished_good_detail(
    finished_good_id: int, *, session: Session | None = None
) -> FinishedGoodDetail:
    """The good with its components (names, units, current costs) and how many can be made now."""
    with use_session(session) as s:
        good = load_finished_good(s, finished_good_id)
        costs = GoodCosts(s, [good])
        components = [composition_dto(s, row, costs) for row in good.components]
        return dto.FinishedGoodDetail(
            finished_good=good_dto(s, good, costs),
            components=components,
            can_assemble_now=_can_assemble_now(s, good),
        )


def update_finished_good(
    finished_good_id: int, /, *, session: Session | None = None, **fields: Any
) -> FinishedGoodDTO:
    """Raises: FinishedGoodNotFoundError, ValidationError (also for ``inventory_count``)."""
    if "inventory_count" in fields:
        raise ValidationError(
            "Stock cannot be set directly; record an assembly or adjust the stock with a reason"
        )
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "finished good")
    with use_session(session) as s:
        good = load_finished_good(s, finished_good_id)
        values = _validated({f: getattr(good, f) for f in EDITABLE_FIELDS} | fields)
        for name, value in values.items():
            setattr(good, name, value)
        s.flush()
        return good_dto(s, good)


def delete_finished_good(finished_good_id: int, *, session: Session | None = None) -> None:
    """Raises: FinishedGoodNotFoundError; InUseError with counts of what uses it."""
    with use_session(session) as s:
        good = load_finished_good(s, finished_good_id)
        _refuse_delete(s, good)
        s.delete(good)
        s.flush()


def check_delete_finished_good(
    finished_good_id: int, *, session: Session | None = None
) -> str | None:
    """Why the finished good cannot be deleted (the delete's own words), or None when it can.

    Raises:
        FinishedGoodNotFoundError.
    """
    with use_session(session) as s:
        good = load_finished_good(s, finished_good_id)
        return in_use_refusal(lambda: _refuse_delete(s, good))


def _refuse_delete(s: Session, good: Any) -> None:
    counts = {
        "packages": count_rows(s, PackageFinishedGood.finished_good_id, good.id),
        "other finished goods": count_rows(s, Composition.finished_good_id, good.id),
        "assembly runs": count_rows(s, AssemblyRun.finished_good_id, good.id),
        "assemblies": count_rows(s, AssemblyFinishedGoodConsumption.finished_good_id, good.id),
        "event targets": count_rows(s, EventAssemblyTarget.finished_good_id, good.id),
        "stock lots": count_rows(s, FinishedGoodLot.finished_good_id, good.id),
    }
    refuse_if_used(good.display_name, counts)


@retry_on_conflict
def adjust_inventory(
    finished_good_id: int,
    delta: Any,
    *,
    reason: str,
    unit_cost: Any = None,
    notes: str | None = None,
    session: Session | None = None,
) -> FinishedGoodDTO:
    """Correct the stock with a reason (see ``finished_unit_service.adjust_inventory``)."""
    return finished_unit_service.adjust_stock(
        load_finished_good, good_dto, finished_good_id, delta, reason, unit_cost, notes, session
    )


# --- components -----------------------------------------------------------------------------------


def add_component(
    finished_good_id: int,
    component_type: str,
    component_id: int,
    quantity: Any,
    *,
    notes: str | None = None,
    session: Session | None = None,
) -> CompositionDTO:
    """Add ``quantity`` of a finished unit, a nested finished good or a packaging product.

    Raises:
        FinishedGoodNotFoundError, FinishedUnitNotFoundError, ProductNotFoundError,
        ValidationError (a circle, a product that is not packaging, a repeat, a bad quantity).
    """
    with Problems() as p:
        kind = to_choice(component_type, "Component type", COMPONENT_TYPES, p)
        places = 3 if kind == ComponentType.PACKAGING else 0
        qty = to_decimal(quantity, "Quantity", p, places=places, allow_zero=False)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    with use_session(session) as s:
        good = load_finished_good(s, finished_good_id)
        component = _component(s, good, kind, component_id)
        row = Composition(
            assembly=good,
            component_quantity=qty,
            component_notes=notes,
            sort_order=max((c.sort_order for c in good.components), default=-1) + 1,
            **component,
        )
        s.add(row)
        s.flush()
        return composition_dto(s, row)


def update_component_quantity(
    composition_id: int, quantity: Any, *, session: Session | None = None
) -> CompositionDTO:
    with use_session(session) as s:
        row = load_composition(s, composition_id)
        with Problems() as p:
            places = 3 if row.packaging_product_id else 0
            row.component_quantity = to_decimal(
                quantity, "Quantity", p, places=places, allow_zero=False
            )
        s.flush()
        return composition_dto(s, row)


def remove_component(composition_id: int, *, session: Session | None = None) -> bool:
    with use_session(session) as s:
        row = get_or_none(s, Composition, composition_id)
        if row is None:
            return False
        s.delete(row)
        s.flush()
        return True


def load_composition(session: Session, composition_id: int) -> Composition:
    return get_or_raise(session, Composition, composition_id, missing("Component row {} not found"))


def _component(session, good: FinishedGood, kind: str, component_id) -> dict[str, Any]:
    """The composition field that points at the component, after checking it may be added."""
    if kind == ComponentType.FINISHED_UNIT:
        unit = finished_unit_service.load_finished_unit(session, component_id)
        if any(c.finished_unit_id == unit.id for c in good.components):
            raise ValidationError(f"'{unit.display_name}' is already part of '{good.display_name}'")
        return {"finished_unit": unit}
    if kind == ComponentType.FINISHED_GOOD:
        nested = load_finished_good(session, component_id)
        _refuse_circle(session, good, nested)
        if any(c.finished_good_id == nested.id for c in good.components):
            raise ValidationError(
                f"'{nested.display_name}' is already part of '{good.display_name}'"
            )
        return {"finished_good": nested}
    product = packaging_product(session, component_id)
    if any(c.packaging_product_id == product.id for c in good.components):
        raise ValidationError(f"That packaging is already part of '{good.display_name}'")
    return {"packaging_product": product}


def packaging_product(session: Session, product_id: int):
    """A product whose ingredient is marked as packaging (else ValidationError naming both)."""
    product = catalog_service.load_product(session, product_id)
    if not product.ingredient.is_packaging:
        name = catalog_service.product_display_name(product, product.ingredient)
        raise ValidationError(
            f"'{name}' is not packaging: its ingredient '{product.ingredient.display_name}' is not "
            "marked as packaging"
        )
    return product


def _refuse_circle(session: Session, good: FinishedGood, nested: FinishedGood) -> None:
    if nested.id == good.id:
        raise ValidationError(f"'{good.display_name}' cannot contain itself")
    edges = session.execute(
        select(Composition.assembly_id, Composition.finished_good_id).where(
            Composition.finished_good_id.is_not(None), Composition.assembly_id.is_not(None)
        )
    )
    children: dict[int, set[int]] = {}
    for edge in edges:
        children.setdefault(edge.assembly_id, set()).add(edge.finished_good_id)
    seen, stack, depth = set(), [(nested.id, 1)], 1
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        if node == good.id:
            raise ValidationError(
                f"Adding '{nested.display_name}' to '{good.display_name}' would make a circle: "
                f"'{nested.display_name}' already contains '{good.display_name}'"
            )
        for child in children.get(node, ()):
            if child not in seen:
                seen.add(child)
                stack.append((child, level + 1))
    if depth + 1 > MAX_NESTING:
        raise ValidationError(f"Finished goods can be nested at most {MAX_NESTING} levels deep")


# --- costs and DTOs -------------------------------------------------------------------------------


def load_finished_good(session: Session, finished_good_id: int) -> FinishedGood:
    return get_or_raise(session, FinishedGood, finished_good_id, FinishedGoodNotFoundError)


def good_dto(
    session: Session, good: FinishedGood, costs: GoodCosts | None = None
) -> FinishedGoodDTO:
    """The good's DTO; a list passes the ``GoodCosts`` it read for all its goods at once."""
    costs = costs or GoodCosts(session, [good])
    return dto.FinishedGoodDTO(
        id=good.id,
        slug=good.slug,
        display_name=good.display_name,
        assembly_type=good.assembly_type,
        inventory_count=good.inventory_count,
        unit_cost=costs.next_unit_cost(good),
        estimated_cost=costs.estimated_cost(good),
        packaging_instructions=good.packaging_instructions,
        notes=good.notes,
        component_count=len(good.components),
    )


def estimated_cost(session: Session, good: FinishedGood, depth: int = 0) -> Decimal:
    """One unit: each component at its current cost × quantity, each line rounded to 4 places."""
    return GoodCosts(session, [good]).estimated_cost(good, depth)


def component_unit_cost(session: Session, row: Composition, depth: int = 0) -> Decimal:
    """Current cost of one of this row's component (FIFO next unit, else the estimate)."""
    return GoodCosts(session, [], rows=[row]).component_unit_cost(row, depth)


class GoodCosts:
    """What the cost rule needs for many finished goods (and loose composition rows, such as a
    package's packaging), read in a fixed number of statements however many there are: the
    goods' components and nested goods level by level, their finished units and packaging
    products, the next-unit costs of everything in stock, one batch estimate for the recipes of
    the units without stock and one price lookup for the packaging.

    ``estimated_cost`` and ``component_unit_cost`` follow the module's cost rule exactly.
    ``every_good=True`` (a list of all goods) reads the next-unit costs without an id list.
    """

    def __init__(
        self,
        session: Session,
        goods: Iterable[FinishedGood],
        *,
        rows: Iterable[Composition] = (),
        every_good: bool = False,
    ) -> None:
        self.goods: dict[int, FinishedGood] = {good.id: good for good in goods}
        extra_rows = list(rows)
        self._load_nested(session, extra_rows)
        every_row = [row for good in self.goods.values() for row in good.components] + extra_rows
        unit_ids = {row.finished_unit_id for row in every_row if row.finished_unit_id}
        product_ids = {row.packaging_product_id for row in every_row if row.packaging_product_id}
        self.units: dict[int, FinishedUnit] = (
            {
                u.id: u
                for u in session.scalars(select(FinishedUnit).where(FinishedUnit.id.in_(unit_ids)))
            }
            if unit_ids
            else {}
        )
        stocked_units = [u.id for u in self.units.values() if u.inventory_count > 0]
        self.unit_next = finished_stock.next_unit_costs(session, FinishedUnit, stocked_units)
        self.good_next = finished_stock.next_unit_costs(
            session, FinishedGood, None if every_good else list(self.goods)
        )
        unstocked = {u.recipe_id for u in self.units.values() if u.inventory_count <= 0}
        self.batch_costs = (
            batch_estimates.estimate_batch_costs(session, unstocked) if unstocked else {}
        )
        products = (
            session.scalars(
                select(Product)
                .options(joinedload(Product.ingredient).selectinload(Ingredient.unit_conversions))
                .where(Product.id.in_(product_ids))
            ).all()
            if product_ids
            else []
        )
        self.packaging = {product.id: product.ingredient for product in products}
        self.prices = recipe_tree.recipe_unit_prices(session, set(self.packaging.values()))

    def _load_nested(self, session: Session, rows: list[Composition]) -> None:
        """Add the nested goods (with their components), one level per statement."""
        wanted = {row.finished_good_id for row in rows if row.finished_good_id}
        for _level in range(MAX_NESTING + 2):
            wanted |= {
                row.finished_good_id
                for good in self.goods.values()
                for row in good.components
                if row.finished_good_id
            }
            missing = wanted - set(self.goods)
            if not missing:
                return
            nested = session.scalars(
                select(FinishedGood)
                .options(selectinload(FinishedGood.components))
                .where(FinishedGood.id.in_(missing))
            )
            self.goods.update((good.id, good) for good in nested)

    def next_unit_cost(self, good: FinishedGood) -> Decimal:
        """What the next unit of ``good`` out of stock costs (0 when there is none)."""
        return self.good_next.get(good.id, finished_stock.ZERO)

    def estimated_cost(self, good: FinishedGood, depth: int = 0) -> Decimal:
        """One unit: each component at its current cost × quantity, each line rounded."""
        if depth > MAX_NESTING:
            return Decimal(0)
        return sum(
            (
                round_money(self.component_unit_cost(row, depth) * row.component_quantity)
                for row in good.components
            ),
            Decimal(0),
        )

    def component_unit_cost(self, row: Composition, depth: int = 0) -> Decimal:
        """Current cost of one of this row's component (FIFO next unit, else the estimate)."""
        if row.finished_unit_id is not None:
            unit = self.units[row.finished_unit_id]
            if unit.inventory_count > 0:
                return self.unit_next.get(unit.id, finished_stock.ZERO)
            batch = self.batch_costs[unit.recipe_id]
            return finished_unit_service.estimated_cost_per_item(unit, batch)
        if row.finished_good_id is not None:
            nested = self.goods[row.finished_good_id]
            if nested.inventory_count > 0:
                return self.next_unit_cost(nested)
            return self.estimated_cost(nested, depth + 1)
        ingredient = self.packaging[row.packaging_product_id]
        return self.prices.get(ingredient.id) or Decimal(0)


def composition_dto(
    session: Session, row: Composition, costs: GoodCosts | None = None
) -> CompositionDTO:
    if row.finished_unit is not None:
        kind, item_id = ComponentType.FINISHED_UNIT, row.finished_unit_id
        name, unit = row.finished_unit.display_name, row.finished_unit.item_unit or "each"
    elif row.finished_good is not None:
        kind, item_id = ComponentType.FINISHED_GOOD, row.finished_good_id
        name, unit = row.finished_good.display_name, "each"
    else:
        product = row.packaging_product
        kind, item_id = ComponentType.PACKAGING, product.id
        name = catalog_service.product_display_name(product, product.ingredient)
        unit = product.ingredient.recipe_unit
    return dto.CompositionDTO(
        id=row.id,
        finished_good_id=row.assembly_id,
        component_type=kind.value,
        component_id=item_id,
        quantity=row.component_quantity,
        component_name=name,
        unit=unit,
        unit_cost=(costs or GoodCosts(session, [], rows=[row])).component_unit_cost(row),
        package_id=row.package_id,
        notes=row.component_notes,
    )


def _can_assemble_now(session: Session, good: FinishedGood) -> int:
    """Whole units that the stock on hand covers now (0 without components). Each packaging row
    counts everything its ingredient has on hand (``inventory_service.get_on_hand``'s figure),
    from the stock totals of all the good's packaging ingredients read at once."""
    packaging = {
        row.packaging_product.ingredient.id: row.packaging_product.ingredient
        for row in good.components
        if row.packaging_product_id is not None
    }
    totals = pantry_lots.open_totals(session, list(packaging)) if packaging else {}
    limits = []
    for row in good.components:
        if row.finished_unit is not None:
            have = Decimal(row.finished_unit.inventory_count)
        elif row.finished_good is not None:
            have = Decimal(row.finished_good.inventory_count)
        else:
            ingredient = packaging[row.packaging_product.ingredient.id]
            have = pantry_lots.on_hand(
                totals.get(ingredient.id, []),
                ingredient.recipe_unit,
                inventory_service.UnitConverter(ingredient),
            )
        limits.append(int((have / row.component_quantity).to_integral_value(ROUND_FLOOR)))
    return min(limits) if limits else 0


def _validated(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as p:
        values = {
            "display_name": to_text(raw["display_name"], "Name", p, max_length=200),
            "assembly_type": to_choice(raw["assembly_type"], "Assembly type", ASSEMBLY_TYPES, p),
            "packaging_instructions": to_text(
                raw.get("packaging_instructions"),
                "Packaging instructions",
                p,
                max_length=2000,
                required=False,
            ),
            "notes": to_text(raw.get("notes"), "Notes", p, max_length=2000, required=False),
        }
        if "description" in raw:
            values["description"] = to_text(
                raw["description"], "Description", p, max_length=2000, required=False
            )
    return values
