"""The bundle's ``bake-tracker`` executable: the same command line as the installed script."""

from bake_tracker.main import main

raise SystemExit(main())
