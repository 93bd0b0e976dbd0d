"""The internals of moving data in and out; ``transfer_service`` is the public entry point.

Owns the whole-database JSON document — its layout (``format``), writing it (``export``), reading
and header-checking one (``read``), checking one value (``values``) or a whole section a column at
a time (``columns``), the import's plan (``plan``) and writing the checked rows (``write``) — the
export and import of production and assembly history (``history``), and CSV files that
spreadsheets open safely (``csv_files``).
"""
