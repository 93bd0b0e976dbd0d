"""The rules of bake-tracker that need no database and no window.

Plain functions and frozen values over ``Decimal`` and ``int``: numbers (``numbers``: places,
rounding, zeros), unit conversion (``units``), FIFO planning over lots (``fifo``: pantry quantities
and whole finished units, one walk, one plan), yields of finished units (``yields``) and recipe
arithmetic (``recipes``: aggregation, cost trees, nesting). The errors they raise are the roots of
the app's hierarchy (``errors``). Services and the UI both use these modules; nothing here imports
SQLAlchemy, Alembic, Tk or any other layer of the app (``tests/test_architecture.py`` checks).
"""
