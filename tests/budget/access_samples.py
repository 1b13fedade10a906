"""How to call this app's pages and API for the access matrix (tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "budget:overview": ({"municipality": TOWN}, "year=2026", TOWN, ("get", "post")),
    "budget:line_add": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "budget:line": ({"municipality": TOWN, "line": 999999}, "", TOWN, ("get", "post")),
    "budget:children": ({"municipality": TOWN}, "", None, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/budget": {
        "year": 2026,
        "department": "Education",
        "title": "School meals",
        "amount": "1000",
        "child_share": "direct",
    },
}
