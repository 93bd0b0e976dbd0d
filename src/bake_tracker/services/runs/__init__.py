"""The internals of production and assembly runs; the public entry points are
``batch_production_service`` and ``assembly_service``.

Owns what the two kinds of run share — their description (``support.RunKind``), a run's event and
timestamps, the history page, lookup, export and void (``support``), and writing a run with its
ledgers in a fixed number of statements (``ledger``) — and the planning of an assembly
(``assembly_plan``).
"""
