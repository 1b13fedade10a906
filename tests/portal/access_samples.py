"""How to call the public face's pages for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "portal:profile": ({"code": TOWN}, "", None, ("get",)),
    "portal:easy_read": ({"code": TOWN}, "", None, ("get",)),
    "portal:easy_programme": ({}, "", None, ("get",)),
    "portal:map": ({}, "?by=score&indicator=CFCI", None, ("get",)),
    # Comments on a published decision summary (public; moderation checked inside).
    "recognition:decision_comment": ({"application": 999999}, "", None, ("get", "post")),
}

API_PATH_PARAMETERS: dict[str, dict[str, str]] = {}
API_BODIES: dict[str, dict[str, object]] = {}
