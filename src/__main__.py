"""``python -m src``: the same command line as the ``bake-tracker`` script."""

from src.main import main

raise SystemExit(main())
