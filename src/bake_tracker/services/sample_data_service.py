"""Sample data: a realistic holiday season for a first look, built through the real services.

A pantry bought over a few weeks at changing prices, recipes with a shared sub-recipe (royal icing),
cookies and brownies and a cake sold by the slice, gift bags and a holiday box, packages for a
handful of recipients, and two upcoming events with targets, some production and an assembly
already recorded (``sample_season``: what it holds and how it is made). It goes only into an
empty database, in one transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.models import Ingredient, Recipe
from bake_tracker.services.errors import ValidationError
from bake_tracker.services.transactions import use_session


def is_empty(*, session: Session | None = None) -> bool:
    """True when there are no ingredients and no recipes yet (a first start)."""
    with use_session(session) as s:  # Core columns: asked at start, before any ORM query
        return not (
            s.scalar(select(func.count()).select_from(Ingredient.__table__))
            or s.scalar(select(func.count()).select_from(Recipe.__table__))
        )


def load_sample_data(
    *, today: date | None = None, session: Session | None = None
) -> dict[str, int]:
    """Fill an empty database with the sample season; returns how many of each thing were made.

    Raises:
        ValidationError when the database already holds ingredients or recipes.
    """
    from bake_tracker.services import sample_season  # the services it uses: only when loading

    today = today or date.today()
    with use_session(session) as s:
        if not is_empty(session=s):
            raise ValidationError("Sample data can only be loaded into an empty database")
        return sample_season.build(s, today)
