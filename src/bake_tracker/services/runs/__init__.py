"""The internals of production and assembly runs; the public entry points are
``batch_production_service`` and ``assembly_service``.

Owns what the two kinds of run share — their description (``support.RunKind``), a run's
timestamps, the history page, lookup, export and void (``support``), rows in stored form
(``stored_form``) and their statements sent as compiled (``driver_form``) — and the planning
of an assembly (``assembly_plan``) and the writing of its run with its ledgers
(``assembly_ledger``).
"""
