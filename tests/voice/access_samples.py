"""How to call this app's pages and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "voice:box": ({"municipality": TOWN}, "", None, ("get", "post")),
    "voice:receipt_lookup": ({}, "", None, ("get",)),
    "voice:receipt": ({"code": "0000-0000-00"}, "", None, ("get",)),
    "voice:public": ({"municipality": TOWN}, "", None, ("get",)),
    "voice:moderation": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "voice:moderate": ({"municipality": TOWN, "suggestion": 999999}, "", TOWN, ("get", "post")),
    "voice:safeguarding": ({"municipality": TOWN}, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/suggestions/{receipt}": {"receipt": "0000-0000-00"},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/suggestions": {"text": "More benches in the park, please."},
}
