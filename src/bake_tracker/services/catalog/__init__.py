"""The internals of the catalog; ``catalog_service`` is the public entry point and re-exports them.

Owns what the catalog's parts share (``common``: slugs, the ingredient and product loaders, units as
typed, a product's name), conversions with an ingredient's density and custom units
(``conversions``), and products with their prices (``products``). Ingredients themselves live in
``catalog_service``.
"""
