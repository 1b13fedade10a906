"""How to call the open data page and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "opendata:index": ({}, "", None, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/open-data/{dataset}.{format}": {"dataset": "results", "format": "csv"},
    "/api/v1/open-data/revisions/{revision}/{dataset}.{format}": {
        "revision": "2026.1-1",
        "dataset": "results",
        "format": "csv",
    },
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {}
