"""How to call this app's pages and API for the access matrix (tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
The item routes name a facility that does not exist: allowed people get 404 (not a refusal
by access, which is checked first), the others are refused before the lookup.
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
_TOWN = {"municipality": TOWN}
_ITEM = {"municipality": TOWN, "facility": 999999}

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "facilities:list": (_TOWN, "", TOWN, ("get",)),
    "facilities:add": (_TOWN, "", TOWN, ("get", "post")),
    "facilities:edit": (_ITEM, "", TOWN, ("get", "post")),
    "facilities:delete": (_ITEM, "", TOWN, ("get", "post")),
    "facilities:evidence": (_ITEM, "", TOWN, ("get",)),
    "facilities:import": (_TOWN, "", TOWN, ("get", "post")),
    "facilities:template": ({"municipality": TOWN, "fmt": "csv"}, "", TOWN, ("get",)),
    "facilities:map": (_TOWN, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/facilities": {
        "name": "Park",
        "type": "play",
        "availability": "available",
    },
}
