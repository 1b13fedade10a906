"""The demo ends with the open data downloads ready (the worker would build them shortly)."""

from __future__ import annotations

from meirim.opendata.services import release_build


def demo_populate() -> None:
    """Build the release of the demonstration data (nothing to do when already built)."""
    release_build()
