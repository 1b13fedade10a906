"""Each API operation declares its action of the access table in its OpenAPI entry.

``x-access`` names the action (or ``public``); ``x-access-drafts`` the action that lets a
reader see unapproved data in an otherwise public answer. The access-matrix test walks the
OpenAPI schema and fails on an operation that declares nothing.
"""

from __future__ import annotations

from typing import Any

from meirim.accounts.access import ACCESS_TABLE

PUBLIC = "public"


def declared_access(
    action: str, *, drafts: str | None = None, confidential: bool = False
) -> dict[str, Any]:
    """The operation's OpenAPI extras. ``confidential``: to anyone not allowed, the operation
    answers 404 rather than 403, so that it does not even confirm the object exists (the
    community report, R-8.1); it is declared as ``x-confidential``."""
    for name in (action, drafts):
        if name not in (None, PUBLIC) and name not in ACCESS_TABLE:
            raise LookupError(f"{name!r} is not in the access table")
    extra: dict[str, Any] = {"x-access": action}
    if drafts is not None:
        extra["x-access-drafts"] = drafts
    if confidential:
        extra["x-confidential"] = True
    return extra
