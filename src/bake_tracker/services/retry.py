"""Retrying a use case when another process or workstation got in the way.

Two writers can collide: SQLite answers "database is locked" when its busy timeout runs out, and a
lot that another process drew from between planning and applying makes the guarded update find
less than planned (``DatabaseBusyError``). Both leave nothing written, so the whole use case can
simply run again on fresh data. After a few tries the user gets a clear ``DatabaseBusyError``.
A call given an outer ``session`` is never retried: its transaction belongs to the caller.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError

from bake_tracker.core import faults
from bake_tracker.services.errors import DatabaseBusyError

T = TypeVar("T")
ATTEMPTS = 6


def retry_on_conflict(function: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        if kwargs.get("session") is not None:
            return function(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except DatabaseBusyError:
                if attempt == ATTEMPTS:
                    raise
            except OperationalError as error:
                if faults.classify(error) != faults.LOCKED:
                    raise
                if attempt == ATTEMPTS:
                    raise DatabaseBusyError() from None
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # back off, out of step with others
        raise AssertionError("unreachable")

    return wrapper
