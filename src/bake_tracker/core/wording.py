"""How numbers read in the window: counts with their noun in the right number ("1 batch",
"48 cookies"), quantities without trailing zeros ("36.8 oz") and the one capitalisation of
labels. Pure (stdlib only), so the rules are tested without a display and shared by every tab.

The rules, and why:
- a count takes the singular noun for exactly 1 and the plural otherwise ("0 batches");
- abbreviated units never take an s ("2 lb", "3 oz", "2 tsp"); spelled-out units and item
  nouns do ("2 cups", "3 bags", "2 loaves"), by English's regular rules plus a few exceptions;
- a quantity shows no useless zeros and no exponent ("13", "12.5", "1,250");
- labels are sentence case ("Record production…"): one capitalisation everywhere.
"""

from __future__ import annotations

from decimal import Decimal

# Units written as abbreviations: never pluralised ("2 lb", not "2 lbs").
ABBREVIATIONS = frozenset(
    {"g", "kg", "oz", "lb", "ml", "l", "tsp", "tbsp", "fl oz", "pt", "qt", "gal"}
    | {"cm", "m", "in", "ft", "yd", "%"}
)
# Words that stay as they are, or change irregularly.
_INVARIABLE = frozenset({"each", "count", "dozen", "sheep", "fish", "series", "equipment"})
_IRREGULAR = {
    "loaf": "loaves",
    "half": "halves",
    "knife": "knives",
    "leaf": "leaves",
    "shelf": "shelves",
    "person": "people",
    "child": "children",
    "potato": "potatoes",
    "tomato": "tomatoes",
}


def plural_of(noun: str) -> str:
    """The plural of an English noun or unit: "cookie" → "cookies", "batch" → "batches",
    "loaf" → "loaves", "berry" → "berries"; abbreviations and "each" stay as they are. Only the
    last word changes ("sugar cookie" → "sugar cookies")."""
    if not noun or noun.lower() in ABBREVIATIONS or noun.lower() in _INVARIABLE:
        return noun
    head, _, last = noun.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    if lower in _IRREGULAR:
        return prefix + _IRREGULAR[lower]
    if lower in ABBREVIATIONS or lower in _INVARIABLE or not lower[-1:].isalpha():
        return noun
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return f"{noun}es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{noun[:-1]}ies"
    return f"{noun}s"


def singular_of(noun: str) -> str:
    """The singular of a plural noun (the last word): "production runs" → "production run",
    "assemblies" → "assembly", "batches" → "batch", "loaves" → "loaf"."""
    head, _, last = noun.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    for single, many in _IRREGULAR.items():
        if lower == many:
            return prefix + single
    if lower.endswith("ies") and len(lower) > 3:
        return prefix + last[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes", "zes")):
        return prefix + last[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return prefix + last[:-1]
    return noun


def singular_or_plural(count: Decimal | int, noun: str) -> str:
    """``noun`` as it reads after ``count``: singular for exactly 1, plural otherwise."""
    return noun if Decimal(count) == 1 else plural_of(noun)


def format_number(value: Decimal | int) -> str:
    """13.000 → "13", 12.500 → "12.5", 1250 → "1,250" (no useless zeros, no exponent)."""
    text = f"{Decimal(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count_text(count: Decimal | int, noun: str) -> str:
    """ "1 batch", "3 batches", "48 cookies", "36.8 oz", "1.5 cups"."""
    return f"{format_number(count)} {singular_or_plural(count, noun)}"


def sentence_case(label: str) -> str:
    """The one capitalisation of labels and buttons: the first letter capital, the rest as
    written lower case unless it is an abbreviation or name in capitals ("Export CSV…")."""
    words = label.split(" ")
    out = []
    for index, word in enumerate(words):
        if index == 0:
            out.append(word[:1].upper() + word[1:])
        elif word.isupper() and len(word) > 1:
            out.append(word)  # CSV, FIFO: kept
        else:
            out.append(word.lower())
    return " ".join(out)
