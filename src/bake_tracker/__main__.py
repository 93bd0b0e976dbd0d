"""``python -m bake_tracker``: the same command line as the ``bake-tracker`` script."""

from bake_tracker.main import main

raise SystemExit(main())
