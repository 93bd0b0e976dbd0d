"""``python -m bench [--quick] [--repeat N]``: time every budgeted operation (see ``bench.run``)."""

from __future__ import annotations

import sys

from bench.run import main

if __name__ == "__main__":
    sys.exit(main())
