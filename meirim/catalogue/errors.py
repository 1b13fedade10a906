"""Errors of the catalogue's services, shared by the modules that write it."""

from __future__ import annotations


class CatalogueLocked(Exception):
    """A published catalogue version cannot change."""
