"""How to call this part's pages and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
NONE = 999999

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "recognition:registry": ({}, "", None, ("get",)),
    "recognition:badge": ({"municipality": TOWN}, "", None, ("get",)),
    "recognition:cycles": ({}, "", None, ("get",)),
    "recognition:cycle": ({"cycle": NONE}, "", None, ("get",)),
    "recognition:cycle_add": ({}, "", None, ("get", "post")),
    "recognition:cycle_edit": ({"cycle": NONE}, "", None, ("get", "post")),
    "recognition:cycle_transition": ({"cycle": NONE}, "", None, ("post",)),
    "recognition:criteria": ({"cycle": NONE}, "", None, ("get", "post")),
    "recognition:criterion": ({"cycle": NONE, "criterion": NONE}, "", None, ("get", "post")),
    "recognition:roster": ({}, "", None, ("get", "post")),
    "recognition:roster_member": ({"member": NONE}, "", None, ("get", "post")),
    "recognition:decision_summary": ({"application": NONE}, "", None, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/cycles/{id}": {"id": str(NONE)},
    "/api/v1/cycles/{id}/criteria": {"id": str(NONE)},
    "/api/v1/cycles/{id}/transition": {"id": str(NONE)},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/cycles": {
        "name": "2030–2032",
        "starts_on": "2030-01-01",
        "eoi_deadline": "2030-02-01",
        "portfolio_deadline": "2030-06-01",
        "community_report_deadline": "2030-07-01",
        "decision_date": "2030-09-01",
        "level1_threshold": 50,
        "level2_threshold": 75,
    },
    "/api/v1/cycles/{id}/criteria": {"code": "K1", "name_en": "Children are heard"},
    "/api/v1/cycles/{id}/transition": {"action": "open_call"},
}
