"""How to call this app's pages and API for the access matrix (tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "planning:strategy": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "planning:actions": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "planning:action_add": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "planning:action": ({"municipality": TOWN, "code": "9.9.z"}, "", TOWN, ("get", "post")),
    "planning:action_impact_file": (
        {"municipality": TOWN, "code": "9.9.z"},
        "",
        TOWN,
        ("get",),
    ),
    "planning:timeline": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "planning:action_from_question": ({"municipality": TOWN}, "", TOWN, ("post",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/municipalities/{code}/actions": {"code": TOWN},
    "/api/v1/municipalities/{code}/strategy": {"code": TOWN},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/actions": {
        "code": "7.1.a",
        "title": "Leisure pass",
        "status": "planned",
    },
}
