"""The models' column annotations are objects, not strings (``bake_tracker.models``' docstring):
a string annotation is ``eval``-ed by SQLAlchemy for its class and every class inheriting it,
~40 ms of each start when all of them were strings. Relationships name their targets as strings
inside ``Mapped[...]`` (resolved when the mappers are configured); the mapping is the same."""

from __future__ import annotations

import typing

from sqlalchemy import inspect

from bake_tracker.models import Base, Entity, Product


def model_classes() -> list[type]:
    return [mapper.class_ for mapper in Base.registry.mappers]


def test_no_model_annotation_is_a_string() -> None:
    strings = [
        f"{cls.__name__}.{name}"
        for cls in (Entity, *model_classes())
        for name, annotation in vars(cls).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    assert strings == []


def test_relationships_name_their_targets_as_strings_and_still_map_them() -> None:
    annotation = Product.__annotations__["lots"]
    assert typing.get_origin(annotation) is not None  # Mapped[list["InventoryItem"]]
    target = inspect(Product).relationships["lots"].mapper.class_
    assert target.__name__ == "InventoryItem"
    assert inspect(Product).relationships["lots"].uselist
