"""The services: every use case of bake-tracker, each in one transaction, below the UI.

The public modules are the ``*_service`` modules, ``errors`` and ``dto``; the UI, the command line
and the tests call only those. Their internals are grouped by what they serve: ``catalog`` (behind
``catalog_service``), ``events`` (behind ``event_service``), ``runs`` (behind
``batch_production_service`` and ``assembly_service``) and ``transfer`` (behind
``transfer_service``). Shared by all: ``loading`` (rows by id, unique names, rows in use),
``validation`` (argument checks), ``transactions`` and ``retry``.
"""
