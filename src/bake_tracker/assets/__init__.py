"""Files the app ships beside its code: the window icon (``icon-*.png``, ``bake-tracker.ico``),
drawn by ``packaging/make_icons.py``. Read through ``importlib.resources`` so an installed wheel
and a frozen bundle find them alike."""
