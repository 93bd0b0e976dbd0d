"""The app's version string, read once from the installed package metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

FALLBACK_VERSION = "0.1.0"


def app_version() -> str:
    """The installed version of bake-tracker, or the source tree's version when not installed."""
    try:
        return version("bake-tracker")
    except PackageNotFoundError:
        return FALLBACK_VERSION
