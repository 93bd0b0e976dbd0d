"""The user guide (``user-guide.md``), shipped in the package as ``bake_tracker.docs`` so
Help ▸ User guide can open it from an installed wheel or a bundle."""
