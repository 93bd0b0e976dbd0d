"""An import's problems in the user's words: which record, which field, what is wrong, what to do.

Owns how a message names things: ``record`` names a record by what the user calls it
(``Ingredient "Brown sugar"``, ``Production target for recipe "Sugar Cookies" in event "Christmas
2025"``) and where it sits in the file (``ingredients, record 3``); ``field`` turns a document
field into its label (``display_name`` → ``Name``); ``quote`` shows a value as a message may —
text cut to 80 characters, a list or an object by its kind only, so that a 50 MB string or a
100,000-deep list is never echoed or walked.
"""

from __future__ import annotations

from typing import Any

QUOTE_LIMIT = 80
NAME_LIMIT = 40

# How each section's record is named: a noun, and a template over the record's own fields (used
# only when every field it names is present).
RECORDS: dict[str, tuple[str, str]] = {
    "ingredients": ("Ingredient", '"{display_name}"'),
    "unit_conversions": ("Unit conversion", 'of ingredient "{ingredient_slug}"'),
    "products": ("Product", 'of ingredient "{ingredient_slug}"'),
    "purchases": ("Purchase", "of {purchase_date}"),
    "inventory_items": ("Pantry lot", "bought {purchase_date}"),
    "recipes": ("Recipe", '"{name}"'),
    "recipe_ingredients": ("Ingredient line", '"{ingredient_slug}" of recipe "{recipe_name}"'),
    "recipe_components": ("Component", '"{component_recipe_name}" of recipe "{recipe_name}"'),
    "finished_units": ("Finished unit", '"{display_name}"'),
    "finished_goods": ("Finished good", '"{display_name}"'),
    "packages": ("Package", '"{name}"'),
    "compositions": ("Component", 'of finished good "{assembly_slug}"'),
    "package_finished_goods": ("Package content", '"{finished_good_slug}" in "{package_name}"'),
    "recipients": ("Recipient", '"{name}"'),
    "events": ("Event", '"{name}" {year}'),
    "event_recipient_packages": (
        "Assignment",
        'of "{package_name}" to "{recipient_name}" in event "{event_name}" {event_year}',
    ),
    "event_production_targets": (
        "Production target",
        'for recipe "{recipe_name}" in event "{event_name}" {event_year}',
    ),
    "event_assembly_targets": (
        "Assembly target",
        'for "{finished_good_slug}" in event "{event_name}" {event_year}',
    ),
    "stock_adjustments": ("Stock adjustment", "of {adjusted_at}"),
    "production_runs": ("Production run", 'of recipe "{recipe_name}" on {produced_at}'),
    "production_consumptions": ("Ingredient used", '"{ingredient_slug}" by a production run'),
    "production_consumption_lots": ("Pantry lot drawn", "by a production run"),
    "assembly_runs": ("Assembly run", 'of "{finished_good_slug}" on {assembled_at}'),
    "assembly_finished_unit_consumptions": (
        "Finished unit used",
        '"{finished_unit_slug}" by an assembly run',
    ),
    "assembly_finished_good_consumptions": (
        "Finished good used",
        '"{finished_good_slug}" by an assembly run',
    ),
    "assembly_packaging_consumptions": ("Packaging used", "by an assembly run"),
    "assembly_packaging_consumption_lots": ("Packaging lot drawn", "by an assembly run"),
    "finished_unit_lots": ("Finished-unit lot", 'of "{finished_unit_slug}"'),
    "finished_good_lots": ("Finished-good lot", 'of "{finished_good_slug}"'),
    "assembly_finished_unit_consumption_lots": ("Finished-unit lot drawn", "by an assembly run"),
    "assembly_finished_good_consumption_lots": ("Finished-good lot drawn", "by an assembly run"),
    "adjustment_draws": ("Lot drawn", "by a stock adjustment"),
}

FIELDS = {  # labels that are not the field's name spelt out
    "display_name": "Name",
    "slug": "Short name (slug)",
    "uuid": "uuid",
    "is_packaging": "Packaging",
    "ingredient_slug": "Ingredient",
    "recipe_name": "Recipe",
    "component_recipe_name": "Component recipe",
    "finished_unit_slug": "Finished unit",
    "finished_good_slug": "Finished good",
    "assembly_slug": "Finished good assembled",
    "package_name": "Package",
    "recipient_name": "Recipient",
    "event_name, event_year": "Event",
    "event_name": "Event",
    "event_year": "Event year",
}


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``value`` as a message shows it: text in quotes, cut to ``limit`` characters (with its
    full length said when cut); a list or an object by its kind — never walked, however deep."""
    if isinstance(value, str):
        if len(value) <= limit:
            return f'"{_visible(value)}"'
        return f'"{_visible(value[:limit])}…" ({len(value):,} characters)'
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = str(value) if abs(value) < 10**60 else f"a {len(str(abs(value)))}-digit number"
        return digits if len(digits) <= limit else digits[:limit] + "…"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _visible(text: str) -> str:
    """Control characters and lone surrogates shown as their codes, so a message stays one line
    and can be printed."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else f"\\u{ord(c):04x}"
        for c in text
    )


def field(name: str) -> str:
    """A document field's label: ``purchase_quantity`` → ``Purchase quantity``."""
    return FIELDS.get(name) or name.replace("_", " ").capitalize()


def record(section_name: str, item: Any, index: int) -> str:
    """``Ingredient "Brown sugar" (ingredients, record 3)``: the record by its name and place."""
    noun, template = RECORDS.get(section_name, (section_name.replace("_", " ").capitalize(), ""))
    place = f"({section_name}, record {index + 1})"
    if not isinstance(item, dict):
        return f"{noun} {place}"
    values = {}
    for name in _template_fields(template):
        value = item.get(name)
        if value is None or isinstance(value, list | dict | bool):
            return f"{noun} {place}"
        if isinstance(value, str) and name.endswith("_at"):
            value = value[:10]  # a moment: its day is enough to find it
        values[name] = _name_part(value)
    return f"{noun} {template.format(**values)} {place}"


def _name_part(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= NAME_LIMIT else value[:NAME_LIMIT] + "…"
        return _visible(shown)
    return quote(value, NAME_LIMIT)


def _template_fields(template: str) -> list[str]:
    return [part.split("}")[0] for part in template.split("{")[1:]]


def section_noun(section_name: str) -> str:
    """``recipe ingredients``: a section as a sentence names it."""
    return section_name.replace("_", " ")
