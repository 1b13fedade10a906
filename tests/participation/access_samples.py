"""How to call this app's pages and API for the access matrix (tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "participation:list": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "participation:add": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "participation:activity": (
        {"municipality": TOWN, "activity": 999999},
        "",
        TOWN,
        ("get", "post"),
    ),
    "participation:evidence": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "participation:evidence_file": ({"municipality": TOWN, "code": "P5"}, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/participation": {
        "topic": "Park design",
        "date": "2026-05-10",
        "rung": "H6",
        "type": "T2",
    },
}
