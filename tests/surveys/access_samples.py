"""How to call this app's pages and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
NONE = 999999

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "surveys:list": ({}, "", None, ("get",)),
    "surveys:example": ({}, "", None, ("get",)),
    "surveys:results": ({"survey": NONE}, "", None, ("get",)),
    "surveys:choose": ({"survey": NONE}, "", None, ("get",)),
    "surveys:answer": ({"survey": NONE, "municipality": TOWN}, "", None, ("get", "post")),
    "surveys:manage": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "surveys:add": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "surveys:detail": ({"municipality": TOWN, "survey": NONE}, "", TOWN, ("get",)),
    "surveys:publish": ({"municipality": TOWN, "survey": NONE}, "", TOWN, ("post",)),
    "surveys:close": ({"municipality": TOWN, "survey": NONE}, "", TOWN, ("post",)),
    "surveys:import": ({"municipality": TOWN, "survey": NONE}, "", TOWN, ("get", "post")),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/surveys/{id}": {"id": str(NONE)},
    "/api/v1/surveys/{id}/results": {"id": str(NONE)},
    "/api/v1/surveys/{id}/responses": {"id": str(NONE)},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/surveys/{id}/responses": {"municipality": TOWN, "answers": {}},
}
