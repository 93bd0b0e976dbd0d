"""``bake_tracker.services.dto`` gives every DTO and status enum by name, loading each module at
first use: the same objects as their modules', and nothing it does not list."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from bake_tracker.services import dto


def test_every_listed_name_is_its_modules_object() -> None:
    assert sorted(dto._HOME_OF) == sorted(dto.__all__)  # one list, no name forgotten
    for name, module in dto._HOME_OF.items():
        assert getattr(dto, name) is getattr(importlib.import_module(module), name)


def test_every_dto_dataclass_of_the_topic_modules_is_listed() -> None:
    for module in dto._HOMES:
        if module.startswith("bake_tracker.services.dto."):
            found = importlib.import_module(module)
            defined = {
                name
                for name, value in vars(found).items()
                if dataclasses.is_dataclass(value) and value.__module__ == found.__name__
            }
            assert defined <= set(dto._HOMES[module]), module


def test_a_star_import_gives_every_name() -> None:
    names: dict[str, object] = {}
    exec("from bake_tracker.services.dto import *", names)
    assert set(dto.__all__) <= set(names)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchDTO"):
        dto.NoSuchDTO  # noqa: B018
    with pytest.raises(ImportError):
        exec("from bake_tracker.services.dto import NoSuchDTO", {})


def test_dtos_stay_frozen_and_compare_by_value() -> None:
    first = dto.EventStatus  # an enum reaches the UI from here too
    assert first is importlib.import_module("bake_tracker.services.dto.dashboard").EventStatus
    info = dto.BackupEntry
    assert dataclasses.is_dataclass(info)
    params = info.__dataclass_params__
    assert params.frozen and params.eq
