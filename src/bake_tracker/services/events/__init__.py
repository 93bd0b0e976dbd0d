"""The internals of events; ``event_service`` is the public entry point and re-exports them.

Owns what an event's gift list and targets lead to: who gets which package and its fulfillment
(``assignments``), production and assembly targets (``targets``), progress against the targets
(``progress``) and working backwards from the gift list to needs, target suggestions and a
shopping list (``planning``).
"""
